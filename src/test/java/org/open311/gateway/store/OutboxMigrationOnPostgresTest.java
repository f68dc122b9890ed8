package org.open311.gateway.store;

import org.junit.jupiter.api.extension.ExtendWith;
import org.open311.gateway.PostgresCondition;
import org.open311.gateway.TestDatabase;

@ExtendWith(PostgresCondition.class)
class OutboxMigrationOnPostgresTest extends OutboxMigrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
