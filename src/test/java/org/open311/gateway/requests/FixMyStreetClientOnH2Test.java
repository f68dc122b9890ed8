package org.open311.gateway.requests;

class FixMyStreetClientOnH2Test extends FixMyStreetClientHttpTest {
}
