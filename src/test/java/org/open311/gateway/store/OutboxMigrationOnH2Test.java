package org.open311.gateway.store;

import org.open311.gateway.TestDatabase;

class OutboxMigrationOnH2Test extends OutboxMigrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
