package org.open311.gateway.requests;

class ServiceRequestListNearOnH2Test extends ServiceRequestListNearHttpTest {
}
