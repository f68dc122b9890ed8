package org.open311.gateway.security;

import org.junit.jupiter.api.extension.ExtendWith;
import org.open311.gateway.PostgresCondition;
import org.open311.gateway.TestDatabase;

/** The hostile corpus on PostgreSQL, the production store (its SQL errors differ from H2's). */
@ExtendWith(PostgresCondition.class)
class HostileCorpusOnPostgresTest extends HostileCorpusTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
