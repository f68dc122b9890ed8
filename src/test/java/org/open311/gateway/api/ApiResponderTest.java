package org.open311.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
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

    @Test
    void anUnreachableStoreIsAnswered503WithRetryAfterInTheErrorShape() throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/v1/requests.json");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new RuntimeException(
                new SQLTransientConnectionException("store - Connection is not available, request timed out")));

        new ApiResponder().error(exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
        assertThat(exchange.getMessage().getHeader("Retry-After", String.class)).isEqualTo("5");
        JsonNode errors = new ObjectMapper().readTree(exchange.getMessage().getBody(ByteBuffer.class).array());
        assertThat(errors.get(0).path("code").asInt()).isEqualTo(503);
        assertThat(errors.get(0).path("description").asText()).contains("temporarily unavailable");
    }
}
