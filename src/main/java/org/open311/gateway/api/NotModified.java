package org.open311.gateway.api;

/** The answer to a client that already holds the current one (its If-None-Match names it): 304, no body. */
public enum NotModified implements ApiBody {
    ANSWER;

    @Override
    public Object json() {
        throw new IllegalStateException("A 304 has no body");
    }

    @Override
    public Object xml() {
        throw new IllegalStateException("A 304 has no body");
    }
}
