package org.open311.gateway.api;

import org.open311.gateway.observe.EndpointTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.open311.gateway.SettingsReader;

import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The small pieces behind the HTTP conventions: validators, allowed origins, path templates. */
class HttpConventionsTest {

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "W/\"abc\"          | W/\"abc\" | true",
            "\"abc\"            | W/\"abc\" | true",
            "W/\"x\", W/\"abc\" | W/\"abc\" | true",
            "*                  | W/\"abc\" | true",
            "W/\"abd\"          | W/\"abc\" | false",
            "abc                | W/\"abc\" | false",
            "''                 | W/\"abc\" | false"})
    void ifNoneMatchIsComparedWeaklyAndMayListSeveralTags(String ifNoneMatch, String etag, boolean matches) {
        assertThat(Caching.matches(ifNoneMatch, etag)).isEqualTo(matches);
        assertThat(Caching.matches(null, etag)).isFalse();
    }

    @Test
    void digestsTellApartWhatDiffersAndAgreeOnWhatIsEqual() {
        long ab = new Caching.Digest().add("ab").add("c").value();
        assertThat(new Caching.Digest().add("a").add("bc").value()).isNotEqualTo(ab);
        assertThat(new Caching.Digest().add("ab").add("c").value()).isEqualTo(ab);
        assertThat(new Caching.Digest().addValue(null).value()).isNotEqualTo(new Caching.Digest().addValue("").value());
        assertThat(new Caching.Digest().addValue(60.17).value()).isNotEqualTo(new Caching.Digest().addValue(60.18).value());
        assertThat(Caching.etag(ab)).startsWith("W/\"").endsWith("\"");
        assertThat(Caching.etagOf(new byte[] {1})).isNotEqualTo(Caching.etagOf(new byte[] {2}));
    }

    @Test
    void datesAreWrittenAsHttpDates() {
        assertThat(Caching.httpDate(Instant.parse("1994-11-06T08:49:37Z"))).isEqualTo("Sun, 6 Nov 1994 08:49:37 GMT");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "*                                              | *",
            "https://www.hel.fi                             | https://www.hel.fi",
            "https://www.hel.fi, http://localhost:3000      | https://www.hel.fi;http://localhost:3000",
            "''                                             | ''"})
    void allowedOriginsAreAnyOrAListOfOrigins(String setting, String origins) {
        SettingsReader settings = reader(setting);
        assertThat(HttpSettings.origins(settings, "gateway.cors.allowed-origins"))
                .isEqualTo(origins.isEmpty() ? List.of() : List.of(origins.split(";")));
        assertThat(settings.problems()).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {"https://www.hel.fi/palaute", "www.hel.fi", "ftp://www.hel.fi", "*, https://www.hel.fi",
            "https://user@www.hel.fi", "https://www.hel.fi?x=1"})
    void anythingButOriginsIsRefusedNamingTheSetting(String setting) {
        SettingsReader settings = reader(setting);
        HttpSettings.origins(settings, "gateway.cors.allowed-origins");
        assertThat(settings.problems()).singleElement().asString().startsWith("gateway.cors.allowed-origins (GATEWAY_CORS_ALLOWED_ORIGINS)");
    }

    @Test
    void pathTemplatesMatchOneSegmentPerParameter() {
        assertThat(EndpointTemplate.pattern("/v1/requests/:id.:format").matcher("/v1/requests/ab12.json").matches()).isTrue();
        assertThat(EndpointTemplate.pattern("/v1/requests/:id.:format").matcher("/v1/requests/a/b.json").matches()).isFalse();
        assertThat(EndpointTemplate.pattern("/v1/requests.:format").matcher("/v1/requests.xml").matches()).isTrue();
        assertThat(EndpointTemplate.pattern("/v1/requests.:format").matcher("/v1/requestsXjson").matches()).isFalse();
    }

    private static SettingsReader reader(String origins) {
        DefaultCamelContext context = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.put("gateway.cors.allowed-origins", origins);
        context.getPropertiesComponent().setInitialProperties(properties);
        return new SettingsReader(context.getPropertiesComponent(), key -> false, "");
    }
}
