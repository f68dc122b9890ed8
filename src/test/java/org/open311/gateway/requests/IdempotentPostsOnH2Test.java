package org.open311.gateway.requests;

class IdempotentPostsOnH2Test extends IdempotentPostsHttpTest {
}
