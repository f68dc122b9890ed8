package org.open311.gateway.requests;

import org.junit.jupiter.api.extension.ExtendWith;
import org.open311.gateway.PostgresCondition;
import org.open311.gateway.TestDatabase;

/** The same service-request tests on PostgreSQL, the production store. */
@ExtendWith(PostgresCondition.class)
class ServiceRequestsOnPostgresTest extends ServiceRequestsHttpTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
