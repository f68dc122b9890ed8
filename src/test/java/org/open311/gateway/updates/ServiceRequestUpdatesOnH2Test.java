package org.open311.gateway.updates;

class ServiceRequestUpdatesOnH2Test extends ServiceRequestUpdatesHttpTest {
}
