package org.open311.gateway.admin;

import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;

import java.net.http.HttpRequest;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Without gateway.admin.token (as in the prod profile) the admin API does not answer to anyone. */
class AdminDisabledHttpTest extends GatewayTestSupport {

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.admin.token", "");
        // the console logs in with the admin tokens: with none it must be off too, or the start stops
        settings.put("gateway.console.enabled", "false");
        return settings;
    }

    @Test
    void everyAdminCallIs404EvenWithTheDemoToken() {
        for (String path : new String[]{"/admin/mappings", "/admin/dead-letters"}) {
            HttpAnswer answer = send(HttpRequest.newBuilder(uri(path))
                    .header("Authorization", "Bearer open311-demo-admin-token").GET().build());
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.json().get(0).path("description").asText())
                    .isEqualTo("The admin API is disabled: set gateway.admin.token to enable it");
        }
        HttpAnswer reload = send(HttpRequest.newBuilder(uri("/admin/mappings/reload"))
                .header("Authorization", "Bearer open311-demo-admin-token").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(reload.status()).isEqualTo(404);
    }
}
