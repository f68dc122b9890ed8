package org.open311.gateway.console;

import org.junit.jupiter.api.extension.ExtendWith;
import org.open311.gateway.PostgresCondition;
import org.open311.gateway.TestDatabase;

@ExtendWith(PostgresCondition.class)
class ConsoleStoreOnPostgresTest extends ConsoleStoreTest {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
