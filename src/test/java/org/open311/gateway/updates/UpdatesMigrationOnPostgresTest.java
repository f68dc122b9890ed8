package org.open311.gateway.updates;

import org.junit.jupiter.api.extension.ExtendWith;
import org.open311.gateway.PostgresCondition;
import org.open311.gateway.TestDatabase;

@ExtendWith(PostgresCondition.class)
class UpdatesMigrationOnPostgresTest extends UpdatesMigrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
