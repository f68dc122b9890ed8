package org.open311.gateway.importer;

class ImportOnH2Test extends ImportHttpTest {
}
