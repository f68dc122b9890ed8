package org.open311.gateway.importer;

import org.junit.jupiter.api.extension.ExtendWith;
import org.open311.gateway.PostgresCondition;
import org.open311.gateway.TestDatabase;

@ExtendWith(PostgresCondition.class)
class ImportOnPostgresTest extends ImportHttpTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
