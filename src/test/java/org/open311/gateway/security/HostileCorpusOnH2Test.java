package org.open311.gateway.security;

/** The hostile corpus on the embedded default store, an H2 file. */
class HostileCorpusOnH2Test extends HostileCorpusTest {
}
