package org.open311.gateway;

import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console under the prod profile: off by default even with the admin API on (its paths are the
 * API's 404, as if there were none), on when configured, and a console turned on without the admin
 * credentials it logs in with stops the start naming the setting.
 */
class ConsoleProfileTest {

    @TempDir
    Path dir;

    @Test
    void productionHasNoConsoleUnlessConfiguredThoughTheAdminApiIsOn() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        Main main = production(port);
        main.addOverrideProperty("gateway.admin.token", "prod-admin-token");
        try {
            main.start();
            for (String path : new String[]{"/admin/console", "/admin/console/login", "/admin/console/console.css"}) {
                HttpResponse<String> answer = get(port, path, null);
                assertThat(answer.statusCode()).as(path).isEqualTo(404);
                assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            }
            assertThat(post(port, "/admin/console/login").statusCode()).isEqualTo(404);
            assertThat(get(port, "/admin/mappings", "Bearer prod-admin-token").statusCode()).as("the admin API is on").isEqualTo(200);
        } finally {
            main.stop();
        }
    }

    @Test
    void productionServesTheConsoleWhenTurnedOn() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        Main main = production(port);
        main.addOverrideProperty("gateway.admin.token", "prod-admin-token");
        main.addOverrideProperty("gateway.console.enabled", "true");
        try {
            main.start();
            HttpResponse<String> login = get(port, "/admin/console/login", null);
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.body()).contains("<form method=\"post\" action=\"/admin/console/login\"");
            assertThat(get(port, "/admin/console", null).statusCode()).as("no page without a session").isEqualTo(303);
        } finally {
            main.stop();
        }
    }

    @Test
    void aConsoleTurnedOnWithoutAdminTokensStopsTheStartNamingTheSetting() {
        Main main = production(AvailablePortFinder.getNextAvailable());
        main.addOverrideProperty("gateway.console.enabled", "true");
        try {
            main.start();
            throw new AssertionError("the gateway started");
        } catch (AssertionError e) {
            throw e;
        } catch (Exception failure) {
            RuntimeException mistake = Application.findOperatorMistake(failure);
            assertThat(mistake).as("an operator's mistake, named").isNotNull();
            assertThat(mistake.getMessage()).startsWith("1 setting is missing or invalid").contains(
                    "gateway.console.enabled (GATEWAY_CONSOLE_ENABLED) = 'true': the console logs in with the admin credentials,"
                            + " and gateway.admin.token (GATEWAY_ADMIN_TOKEN) is empty");
        } finally {
            main.stop();
        }
    }

    /** A prod gateway with everything it needs (SettingsCheckTest's), on its own ports. */
    private Main production(int port) {
        Main main = Application.gateway();
        main.configure().setProfile("prod");
        main.addOverrideProperty("gateway.port", String.valueOf(port));
        main.addOverrideProperty("gateway.management-port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("gateway.shutdown.readiness-delay-ms", "0");
        return SettingsCheckTest.production(main, dir);
    }

    private static HttpResponse<String> get(int port, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("token=x"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
