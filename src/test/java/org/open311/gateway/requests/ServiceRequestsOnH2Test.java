package org.open311.gateway.requests;

/** The service-request API on the embedded default store, an H2 file. */
class ServiceRequestsOnH2Test extends ServiceRequestsHttpTest {
}
