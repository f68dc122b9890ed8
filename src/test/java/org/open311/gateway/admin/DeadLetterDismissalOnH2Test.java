package org.open311.gateway.admin;

class DeadLetterDismissalOnH2Test extends DeadLetterDismissalTest {
}
