package org.open311.gateway.requests;

class MultipartOnH2Test extends MultipartHttpTest {
}
