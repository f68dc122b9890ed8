package org.open311.gateway.security;

import com.fasterxml.jackson.databind.JsonNode;
import org.open311.gateway.requests.InputLimits;

import java.util.ArrayList;
import java.util.List;

import static org.open311.gateway.security.Parameter.Kind.BBOX;
import static org.open311.gateway.security.Parameter.Kind.CHOICE;
import static org.open311.gateway.security.Parameter.Kind.CHOICES;
import static org.open311.gateway.security.Parameter.Kind.CHOICE_LIST;
import static org.open311.gateway.security.Parameter.Kind.CODE_LIST;
import static org.open311.gateway.security.Parameter.Kind.COMMA_LIST;
import static org.open311.gateway.security.Parameter.Kind.DATETIME;
import static org.open311.gateway.security.Parameter.Kind.DECIMAL;
import static org.open311.gateway.security.Parameter.Kind.EMAIL;
import static org.open311.gateway.security.Parameter.Kind.FLAG;
import static org.open311.gateway.security.Parameter.Kind.FREE;
import static org.open311.gateway.security.Parameter.Kind.INTEGER;
import static org.open311.gateway.security.Parameter.Kind.MEDIA_URLS;
import static org.open311.gateway.security.Parameter.Kind.NUMBER_TEXT;
import static org.open311.gateway.security.Parameter.Kind.REFERENCE;
import static org.open311.gateway.security.Parameter.Kind.TEXT;

/**
 * Every parameter of every endpoint the hostile corpus generates values for, with the limits the gateway
 * itself checks ({@link InputLimits}): the POST form's fields, the attribute answers (read from the
 * service definitions the gateway serves, so the corpus follows the catalogue), the list's query
 * parameters and the path parameters.
 */
final class ApiParameters {

    /** Where the POST form's base request is: lat and long go together, as do the object's type and id. */
    static final String LAT = "60.17";
    static final String LONG = "24.94";

    private ApiParameters() {
    }

    /** POST requests.{format}: the form's fields besides attribute answers and files. */
    static List<Parameter> postForm(String apiKey, String serviceCode) {
        List<Parameter> fields = new ArrayList<>(List.of(
                Parameter.of("api_key", REFERENCE, 0, InputLimits.CODE_MAX).needed().oneOf(List.of(apiKey)),
                Parameter.of("service_code", REFERENCE, 0, InputLimits.CODE_MAX).needed().oneOf(List.of(serviceCode)),
                Parameter.of("description", TEXT, InputLimits.DESCRIPTION_MIN, InputLimits.DESCRIPTION.maxLength()).needed(),
                Parameter.of("lat", DECIMAL, -InputLimits.LAT_MAX, InputLimits.LAT_MAX).needed(),
                Parameter.of("long", DECIMAL, -InputLimits.LONG_MAX, InputLimits.LONG_MAX).needed(),
                Parameter.of("email", EMAIL, 0, InputLimits.EMAIL.maxLength())));
        for (InputLimits.Text text : InputLimits.SHORT_TEXTS) {
            Parameter field = Parameter.of(text.name(), TEXT, 0, text.maxLength());
            fields.add(text.name().equals("service_object_id") ? field.with("service_object_type", "unit") : field);
        }
        fields.add(Parameter.of("media_url", MEDIA_URLS, 0, InputLimits.MEDIA_URL_MAX).atMost(InputLimits.MEDIA_URLS_MAX));
        fields.add(Parameter.of("jurisdiction_id", FREE, 0, 0));
        return fields;
    }

    /** The answer to one attribute of a service definition (as GET services/{code}.json gives it). */
    static Parameter answer(JsonNode attribute) {
        String code = attribute.path("code").asText();
        List<String> keys = new ArrayList<>();
        attribute.path("values").forEach(value -> keys.add(value.path("key").asText()));
        Parameter answer = switch (attribute.path("datatype").asText()) {
            case "singlevaluelist" -> Parameter.of("attribute[" + code + "]", CHOICE, 0, 0).oneOf(keys);
            case "multivaluelist" -> Parameter.of("attribute[" + code + "][]", CHOICES, 0, 0).oneOf(keys);
            case "number" -> Parameter.of("attribute[" + code + "]", NUMBER_TEXT, 0, InputLimits.ATTRIBUTE_VALUE_MAX);
            case "datetime" -> Parameter.of("attribute[" + code + "]", DATETIME, 0, 0);
            default -> Parameter.of("attribute[" + code + "]", TEXT, 0, InputLimits.ATTRIBUTE_VALUE_MAX);
        };
        return attribute.path("required").asBoolean() ? answer.needed() : answer;
    }

    /** A valid answer to an attribute, for the base request of its service. */
    static String validAnswer(Parameter answer) {
        return switch (answer.kind()) {
            case CHOICE, CHOICES -> answer.choices().get(0);
            case NUMBER_TEXT -> "12";
            case DATETIME -> "2026-05-02T11:02:07+03:00";
            default -> "Vastaus";
        };
    }

    /** GET requests.{format}: every query parameter; {@code serviceCodes} are codes the catalogue has. */
    static List<Parameter> list(List<String> serviceCodes) {
        List<Parameter> parameters = new ArrayList<>(List.of(
                Parameter.of("service_request_id", COMMA_LIST, 0, InputLimits.QUERY_VALUE_MAX).atMost(InputLimits.LIST_ITEMS_MAX),
                Parameter.of("service_code", CODE_LIST, 0, InputLimits.QUERY_VALUE_MAX).atMost(InputLimits.LIST_ITEMS_MAX)
                        .oneOf(serviceCodes),
                Parameter.of("status", CHOICE_LIST, 0, 0).oneOf(List.of("open", "closed"))));
        for (String date : List.of("start_date", "end_date", "updated_after", "updated_before")) {
            parameters.add(Parameter.of(date, DATETIME, InputLimits.YEAR_MIN, InputLimits.YEAR_MAX));
        }
        parameters.addAll(List.of(
                Parameter.of("lat", DECIMAL, -InputLimits.LAT_MAX, InputLimits.LAT_MAX).needed().with("long", LONG, "radius", "500"),
                Parameter.of("long", DECIMAL, -InputLimits.LONG_MAX, InputLimits.LONG_MAX).needed().with("lat", LAT, "radius", "500"),
                // lat and long without a radius search nothing, as the city's document says: a radius is optional
                Parameter.of("radius", DECIMAL, 0, InputLimits.RADIUS_MAX_METRES).with("lat", LAT, "long", LONG),
                Parameter.of("bbox", BBOX, 0, 0),
                Parameter.of("service_object_type", TEXT, 0, InputLimits.QUERY_VALUE_MAX),
                Parameter.of("service_object_id", TEXT, 0, InputLimits.QUERY_VALUE_MAX).with("service_object_type", "unit"),
                Parameter.of("page", INTEGER, 1, InputLimits.PAGE_MAX),
                Parameter.of("page_size", INTEGER, 1, InputLimits.PAGE_SIZE_MAX),
                Parameter.of("extensions", FLAG, 0, 0),
                Parameter.of("locale", FREE, 0, 0),
                Parameter.of("jurisdiction_id", FREE, 0, 0)));
        return parameters;
    }

    /**
     * GET servicerequestupdates.{format} (mySociety's extension): the window, paging (a page needs its size) and
     * what FixMyStreet sends beside them, read and not needed.
     */
    static List<Parameter> updates() {
        return List.of(
                Parameter.of("start_date", DATETIME, InputLimits.YEAR_MIN, InputLimits.YEAR_MAX),
                Parameter.of("end_date", DATETIME, InputLimits.YEAR_MIN, InputLimits.YEAR_MAX),
                Parameter.of("page", INTEGER, 1, InputLimits.PAGE_MAX).with("page_size", "1"),
                Parameter.of("page_size", INTEGER, 1, InputLimits.PAGE_SIZE_MAX),
                Parameter.of("jurisdiction_id", FREE, 0, 0),
                Parameter.of("api_key", FREE, 0, 0));
    }

    /** The query parameters of the other GETs (a request by id, the catalogue): read, never refused. */
    static List<Parameter> otherQueries() {
        return List.of(Parameter.of("extensions", FLAG, 0, 0), Parameter.of("locale", FREE, 0, 0));
    }
}
