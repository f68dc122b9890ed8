package org.open311.gateway.updates;

import org.open311.gateway.TestDatabase;

class UpdatesMigrationOnH2Test extends UpdatesMigrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
