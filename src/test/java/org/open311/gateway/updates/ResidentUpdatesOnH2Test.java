package org.open311.gateway.updates;

class ResidentUpdatesOnH2Test extends ResidentUpdatesHttpTest {
}
