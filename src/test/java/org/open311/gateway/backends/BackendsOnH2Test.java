package org.open311.gateway.backends;

class BackendsOnH2Test extends BackendsEndToEndTest {
}
