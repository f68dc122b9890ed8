package org.open311.gateway.catalogue;

class MappingsInServiceOnH2Test extends MappingsInServiceHttpTest {
}
