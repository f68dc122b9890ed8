package org.open311.gateway.console;

import org.open311.gateway.TestDatabase;

class ConsoleStoreOnH2Test extends ConsoleStoreTest {

    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
