package org.open311.gateway.requests;

class ServiceRequestListOnH2Test extends ServiceRequestListHttpTest {
}
