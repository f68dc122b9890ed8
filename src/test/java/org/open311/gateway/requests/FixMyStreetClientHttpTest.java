package org.open311.gateway.requests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.TestImages;
import org.open311.gateway.simulator.CrmSimulator;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.open311.gateway.GatewayTestSupport.Part.field;
import static org.open311.gateway.GatewayTestSupport.Part.file;

/**
 * What mySociety's FixMyStreet sends and reads, as its Open311 client does it: a report posted as multipart with
 * its photos in parts photo1, photo2, … and attributes the service does not define (attribute[uprn], its own ids)
 * beside the service's own; then the feed of updates read in an overlapping two-hour window, in XML, with its
 * jurisdiction_id and api_key, again a few minutes later.
 */
abstract class FixMyStreetClientHttpTest extends GatewayTestSupport {

    static final String KEY = "fixmystreet-key";
    static final String UPRN = "100021234567";
    static final String EMAIL = "fms.resident@example.org";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final byte[] JPEG = TestImages.jpeg();
    static final byte[] PNG = TestImages.png();

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.api-keys.demo", KEY);
        settings.put("gateway.media.dir", freshDirectory("fms-media").toString());
        settings.put("gateway.forwarding.interval-ms", "100");
        settings.put("gateway.forwarding.first-retry-ms", "100");
        settings.put("gateway.sync.interval-ms", "100");
        return settings;
    }

    @Test
    void aReportWithPhotoPartsAndAttributesTheServiceDoesNotDefineIsAcceptedAndItsExtrasReachOnlyTheCrm() throws Exception {
        HttpAnswer posted = postMultipart("/v1/requests.xml", report(field("attribute[size]", "large")));

        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        String id = posted.xpath("/service_requests/request/service_request_id").get(0);
        JsonNode request = get("/v1/requests/" + id + ".json?extensions=true").json().get(0);
        JsonNode urls = request.path("extended_attributes").path("media_urls");
        assertThat(urls).hasSize(2);
        assertThat(request.path("media_url").asText()).isEqualTo(urls.get(0).asText())
                .startsWith("http://localhost:" + port() + "/v1/media/").endsWith(".jpg");
        assertServed(urls.get(0).asText(), "image/jpeg");
        assertServed(urls.get(1).asText(), "image/png");

        JsonNode crmCase = await().atMost(WAIT).until(() -> crm().caseByReference(id), Optional::isPresent).orElseThrow();
        assertThat(crmCase.path("extra_attributes").path("uprn").asText()).isEqualTo(UPRN);
        assertThat(crmCase.path("extra_attributes").path("fixmystreet_id").asText()).isEqualTo("4711");
        assertThat(crmCase.path("extra_attributes").has("blank")).as("a blank answer is dropped").isFalse();
        assertThat(crmCase.path("attributes").path("size").asText()).isEqualTo("large");
        assertThat(crmCase.path("attributes").has("uprn")).isFalse();
        assertThat(crmCase.path("attachments")).hasSize(2);

        for (String answer : List.of("/v1/requests/" + id + ".json?extensions=true", "/v1/requests/" + id + ".xml?extensions=true",
                "/v1/requests.json?extensions=true", "/v1/requests.xml?extensions=true")) {
            assertThat(get(answer).body()).as(answer).doesNotContain(UPRN, "uprn", "fixmystreet_id", EMAIL);
        }
    }

    @Test
    void theServicesOwnAttributesAreStillValidatedBesideTheExtras() {
        HttpAnswer wrongType = postMultipart("/v1/requests.json", report(field("attribute[size]", "huge"),
                field("attribute[depth_cm]", "deep")));

        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.jsonField("description")).hasSize(2)
                .anySatisfy(d -> assertThat(d).startsWith("attribute[size]: must be one of"))
                .anySatisfy(d -> assertThat(d).startsWith("attribute[depth_cm]: must be a number"));

        List<Part> tooMany = report();
        for (int i = 0; i < InputLimits.EXTRA_ATTRIBUTES_MAX; i++) {
            tooMany.add(field("attribute[extra_" + i + "]", "x"));
        }
        HttpAnswer refused = postMultipart("/v1/requests.json", tooMany);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.jsonField("description"))
                .containsExactly("attribute: at most " + InputLimits.EXTRA_ATTRIBUTES_MAX + " attributes the service does not define");
    }

    @Test
    void aTwoHourWindowReadTwiceGivesTheSameUpdatesEachInsideIt() {
        HttpAnswer posted = postMultipart("/v1/requests.json", report());
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        String id = posted.json().get(0).path("service_request_id").asText();
        String caseId = await().atMost(WAIT).until(() -> crm().caseByReference(id), Optional::isPresent).orElseThrow()
                .path("case_id").asText();
        crm().publish(caseId, true);
        // at least: the public works task's first state (PUBLIC_WORKS_NEW) may come before or after the publication,
        // one more update when after, and a poll can miss the moment between the two
        await().atMost(WAIT).until(() -> updateIds(get(feed(OffsetDateTime.now().minusHours(1), OffsetDateTime.now().plusHours(1))), id).size() >= 1);
        int published = updateIds(get(feed(OffsetDateTime.now().minusHours(1), OffsetDateTime.now().plusHours(1))), id).size();
        crm().moveState(caseId, "IN_PROCESS");
        await().atMost(WAIT).until(() -> updateIds(get(feed(OffsetDateTime.now().minusHours(1), OffsetDateTime.now().plusHours(1))), id).size() > published);
        // FixMyStreet's window: the last two hours, in W3CDTF with the site's offset
        OffsetDateTime end = OffsetDateTime.now(ZoneOffset.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        OffsetDateTime start = end.minusHours(2);
        HttpAnswer first = get(feed(start, end));

        // a change a moment later (minutes later for FixMyStreet) falls after the window and changes nothing in it
        await().atMost(WAIT).until(() -> OffsetDateTime.now().isAfter(end.plusSeconds(1)));
        crm().addNotes(caseId, "Korjataan ensi viikolla.", "Kaupunkiympäristö", null);
        await().atMost(WAIT).until(() -> get(feed(start, end.plusHours(1))).body().contains("Korjataan ensi viikolla."));
        HttpAnswer second = get(feed(start, end));

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(updateIds(first, id)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(updateIds(second, null)).containsExactlyElementsOf(updateIds(first, null));
        List<String> times = first.xpath("/service_request_updates/request_update/updated_datetime");
        assertThat(times).isNotEmpty().allSatisfy(time -> assertThat(OffsetDateTime.parse(time))
                .isAfterOrEqualTo(start).isBeforeOrEqualTo(end));
        assertThat(first.body()).doesNotContain(EMAIL, UPRN, KEY);
    }

    /** FixMyStreet's report: its description, the resident's name and contacts, its own attributes, two photos. */
    private List<Part> report(Part... more) {
        List<Part> parts = new ArrayList<>(List.of(field("jurisdiction_id", "helsinki"), field("api_key", KEY),
                field("service_code", "171"),
                field("description", "title: Kuoppa pyörätiellä\n\ndetail: Syvä kuoppa Hämeentiellä\n\n"
                        + "url: https://fixmystreet.example.org/report/4711\n\nSubmitted via FixMyStreet\n"),
                field("first_name", "Maija"), field("last_name", "Meikäläinen"), field("email", EMAIL),
                field("lat", "60.184100"), field("long", "24.951900"),
                field("attribute[uprn]", UPRN), field("attribute[fixmystreet_id]", "4711"), field("attribute[blank]", ""),
                file("photo1", "1.jpeg", JPEG), file("photo2", "2.png", PNG)));
        parts.addAll(List.of(more));
        return parts;
    }

    /** The feed as FixMyStreet asks for it: XML, its jurisdiction_id and api_key beside the window. */
    private static String feed(OffsetDateTime start, OffsetDateTime end) {
        return "/v1/servicerequestupdates.xml?jurisdiction_id=helsinki&api_key=" + KEY
                + "&start_date=" + encode(start) + "&end_date=" + encode(end);
    }

    private static List<String> updateIds(HttpAnswer answer, String requestId) {
        List<String> ids = answer.xpath("/service_request_updates/request_update/update_id");
        if (requestId == null) {
            return ids;
        }
        List<String> ofRequest = answer.xpath("/service_request_updates/request_update/service_request_id");
        List<String> matching = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (ofRequest.get(i).equals(requestId)) {
                matching.add(ids.get(i));
            }
        }
        return matching;
    }

    private static String encode(OffsetDateTime time) {
        return URLEncoder.encode(time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), StandardCharsets.UTF_8);
    }

    private void assertServed(String url, String contentType) throws Exception {
        HttpResponse<byte[]> served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValue(contentType);
    }

    private CrmSimulator crm() {
        return context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
    }
}
