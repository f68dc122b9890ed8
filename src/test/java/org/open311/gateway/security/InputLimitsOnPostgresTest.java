package org.open311.gateway.security;

import org.junit.jupiter.api.extension.ExtendWith;
import org.open311.gateway.PostgresCondition;
import org.open311.gateway.TestDatabase;

/** Input at and past its limits on PostgreSQL, the production store (its column checks differ from H2's). */
@ExtendWith(PostgresCondition.class)
class InputLimitsOnPostgresTest extends InputLimitsHttpTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
