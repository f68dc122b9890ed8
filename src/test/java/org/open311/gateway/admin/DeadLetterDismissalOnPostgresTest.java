package org.open311.gateway.admin;

import org.junit.jupiter.api.extension.ExtendWith;
import org.open311.gateway.PostgresCondition;
import org.open311.gateway.TestDatabase;

@ExtendWith(PostgresCondition.class)
class DeadLetterDismissalOnPostgresTest extends DeadLetterDismissalTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
