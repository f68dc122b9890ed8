package org.open311.gateway.admin;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.open311.gateway.api.ApiException;

import java.net.ConnectException;
import java.nio.file.Path;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** What an admin call that failed answers: the store's outage is 503, a back end's 502. */
class AdminFailureTest {

    private final AdminApi admin = new AdminApi(AdminTokens.parse("token"), null, null, null, Path.of("mappings"));

    @Test
    void theStoreOutOfReachIs503WithRetryAfterThoughItsDriverFailedOnIo() {
        // PostgreSQL's driver: connection refused, caused by the socket's ConnectException
        ApiException answer = answerTo(new SQLException("Connection to 127.0.0.1:5432 refused", "08001",
                new ConnectException("Connection refused")));

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.responseHeaders()).containsEntry("Retry-After", "5");
    }

    @Test
    void aBackEndOutOfReachIs502() {
        ApiException answer = answerTo(new IllegalStateException(new ConnectException("Connection refused")));

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.errors().get(0).description()).startsWith("A back end did not answer");
    }

    private ApiException answerTo(Exception failure) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
        exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/admin/dead-letters");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        admin.failure(exchange);
        return exchange.getProperty(Exchange.EXCEPTION_CAUGHT, ApiException.class);
    }
}
