package org.open311.gateway.catalogue;

import org.junit.jupiter.api.extension.ExtendWith;
import org.open311.gateway.PostgresCondition;
import org.open311.gateway.TestDatabase;

@ExtendWith(PostgresCondition.class)
class MappingsInServiceOnPostgresTest extends MappingsInServiceHttpTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
