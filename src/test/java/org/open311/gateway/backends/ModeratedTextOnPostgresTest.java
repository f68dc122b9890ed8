package org.open311.gateway.backends;

import org.junit.jupiter.api.extension.ExtendWith;
import org.open311.gateway.PostgresCondition;
import org.open311.gateway.TestDatabase;

@ExtendWith(PostgresCondition.class)
class ModeratedTextOnPostgresTest extends ModeratedTextHttpTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
