package org.open311.gateway.requests;

import org.junit.jupiter.api.extension.ExtendWith;
import org.open311.gateway.PostgresCondition;
import org.open311.gateway.TestDatabase;

@ExtendWith(PostgresCondition.class)
class FixMyStreetClientOnPostgresTest extends FixMyStreetClientHttpTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
