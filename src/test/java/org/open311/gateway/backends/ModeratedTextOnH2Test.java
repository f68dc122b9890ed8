package org.open311.gateway.backends;

class ModeratedTextOnH2Test extends ModeratedTextHttpTest {
}
