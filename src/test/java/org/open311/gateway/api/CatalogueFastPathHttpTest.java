package org.open311.gateway.api;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.observe.PrometheusText;

import java.util.List;

import java.nio.charset.StandardCharsets;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalogue's fast path (answers in front of Camel) answers exactly what the catalogue's routes
 * answer, and hands everything else to them.
 */
class CatalogueFastPathHttpTest extends GatewayTestSupport {

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.mappings.dir", "src/test/resources/fixtures/mappings");
        return settings;
    }

    @ParameterizedTest
    @CsvSource({
        "direct:services, /v1/services.json, json, , ",
        "direct:services, /v1/services.json, json, fi, ",
        "direct:services, /v1/services.xml, xml, sv_FI, ",
        "direct:services, /v1/services.json, json, xx, ",
        "direct:discovery, /v1/discovery.json, json, , ",
        "direct:discovery, /v1/discovery.xml, xml, , ",
        "direct:service-definition, /v1/services/100.json, json, fi, 100",
        "direct:service-definition, /v1/services/100.xml, xml, en, 100",
    })
    void answersTheSameBytesAsTheRoute(String route, String path, String format, String locale, String code) {
        HttpAnswer http = get(path + (locale == null ? "" : "?locale=" + locale));

        Exchange routed = template.send(route, routeRequest(path, format, locale, code));

        assertThat(http.status()).isEqualTo(200);
        assertThat(routed.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(http.contentType()).isEqualTo(routed.getMessage().getHeader(Exchange.CONTENT_TYPE));
        assertThat(http.body()).isEqualTo(new String(routed.getMessage().getBody(byte[].class), StandardCharsets.UTF_8));
    }

    /** Camel's own count of the routes' exchanges: successes never reach the routes, an unknown service does. */
    @Test
    void successesAreAnsweredInFrontOfTheRoutes() {
        get("/v1/services.json?locale=fi");
        PrometheusText before = PrometheusText.scrape(managementPort());

        assertThat(get("/v1/services.json?locale=sv").status()).isEqualTo(200);
        assertThat(get("/v1/services/100.xml").status()).isEqualTo(200);
        assertThat(get("/v1/discovery.json").status()).isEqualTo(200);
        assertThat(get("/v1/services/NO_SUCH.json").status()).isEqualTo(404);

        PrometheusText after = PrometheusText.scrape(managementPort());
        for (String route : List.of("services", "discovery")) {
            assertThat(exchanges(after, route)).as(route).isEqualTo(exchanges(before, route));
        }
        assertThat(exchanges(after, "service-definition")).isEqualTo(exchanges(before, "service-definition") + 1);
    }

    private static double exchanges(PrometheusText metrics, String routeId) {
        return metrics.sum("camel_exchanges_total", "event_type", "route", "route_id", routeId);
    }

    @Test
    void whatItDoesNotAnswerTheRoutesDoInTheErrorShape() {
        HttpAnswer unknown = get("/v1/services/NO_SUCH.json");
        HttpAnswer badFormat = get("/v1/services.csv");
        HttpAnswer headerLocale = get("/v1/services.json", "locale", "fi");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get(0).path("code").asInt()).isEqualTo(404);
        assertThat(badFormat.status()).isEqualTo(400);
        assertThat(badFormat.json().get(0).path("description").asText()).contains("csv");
        assertThat(headerLocale.status()).isEqualTo(200);
        assertThat(headerLocale.body()).isEqualTo(get("/v1/services.json?locale=fi").body());
    }

    private Exchange routeRequest(String path, String format, String locale, String code) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
        exchange.getMessage().setHeader(Exchange.HTTP_PATH, path);
        exchange.getMessage().setHeader("format", format);
        exchange.getMessage().setHeader("locale", locale);
        exchange.getMessage().setHeader("code", code);
        return exchange;
    }
}
