package org.open311.gateway.security;

/** Input at and past its limits on the embedded default store, an H2 file. */
class InputLimitsOnH2Test extends InputLimitsHttpTest {
}
