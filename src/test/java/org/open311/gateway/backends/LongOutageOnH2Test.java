package org.open311.gateway.backends;

class LongOutageOnH2Test extends LongOutageHttpTest {
}
