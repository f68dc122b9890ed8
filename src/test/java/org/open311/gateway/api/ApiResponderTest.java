package org.open311.gateway.api;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class ApiResponderTest {

    @Test
    void anUnreachableStoreIsAPassingOutage() {
        assertThat(ApiResponder.causedByTheStore(new RuntimeException(
                new SQLTransientConnectionException("store - Connection is not available, request timed out")))).isTrue();
        assertThat(ApiResponder.causedByTheStore(new SQLException("Connection refused", "08001"))).isTrue();
        assertThat(ApiResponder.causedByTheStore(new SQLException("canceling statement due to statement timeout", "57014"))).isTrue();
        assertThat(ApiResponder.causedByTheStore(new SQLException("Timeout trying to lock table", "HYT00"))).isTrue();
        assertThat(ApiResponder.causedByTheStore(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(ApiResponder.causedByTheStore(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(ApiResponder.causedByTheStore(new IllegalStateException("bug"))).isFalse();
    }
}
