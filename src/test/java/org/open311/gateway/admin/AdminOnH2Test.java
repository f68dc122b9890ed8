package org.open311.gateway.admin;

class AdminOnH2Test extends AdminHttpTest {
}
