package org.open311.gateway.requests;

import org.open311.gateway.catalogue.ServiceEntry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every limit of what clients send, in one place: {@link RequestValidator} (POST) and {@link RequestQuery}
 * (lists) check them, the catalogue's validator keeps codes within them, InputLimitsSchemaTest compares
 * them with the store's columns and the OpenAPI document, and the hostile corpus generates values at and
 * past each of them. Lengths are UTF-16 code units, as HTML's {@code maxlength}, JavaScript's
 * {@code length} and H2's VARCHAR count them (PostgreSQL counts code points, never more): an emoji
 * counts as two.
 */
public final class InputLimits {

    /** A text field of a POST, kept in the service_request column of the same name. */
    public record Text(String name, int maxLength) {
    }

    public static final int DESCRIPTION_MIN = 10;
    public static final Text DESCRIPTION = new Text("description", 5000);
    public static final Text EMAIL = new Text("email", 254);
    /** The optional short texts, each checked the same way: at most its length, no control characters. */
    public static final List<Text> SHORT_TEXTS = List.of(
            new Text("title", 200), new Text("address_string", 500), new Text("first_name", 100),
            new Text("last_name", 100), new Text("phone", 50), new Text("service_object_type", 500),
            new Text("service_object_id", 200), new Text("locale", 16));

    /** Service codes and the categories a back end files a service under, as the mapping files may give them (and as they are stored). */
    public static final int CODE_MAX = ServiceEntry.CODE_MAX;
    public static final double LAT_MAX = 90;
    public static final double LONG_MAX = 180;
    public static final int MEDIA_URLS_MAX = 10;
    public static final int MEDIA_URL_MAX = 2000;
    public static final int ATTRIBUTE_VALUE_MAX = 5000;
    /** The attribute answers and the media URLs are each kept as one JSON text in a column of this size. */
    public static final int ATTRIBUTES_STORED_MAX = 100_000;
    public static final int MEDIA_URLS_STORED_MAX = 40_000;
    /**
     * Attributes a service does not define (FixMyStreet sends {@code attribute[uprn]} and its own fields with
     * every report): carried to the CRM as extra data, never shown to clients. At most this many, each named
     * like a code and answered within {@link #ATTRIBUTE_VALUE_MAX}, all together within their column.
     */
    public static final int EXTRA_ATTRIBUTES_MAX = 30;
    public static final int EXTRA_ATTRIBUTE_NAME_MAX = CODE_MAX;
    public static final int EXTRA_ATTRIBUTES_STORED_MAX = 20_000;

    /** GET requests: comma lists (service_request_id, service_code, status) and single values. */
    public static final int LIST_ITEMS_MAX = 200;
    /** Longer than any code, id or object reference the gateway keeps: an overlong value is a client error. */
    public static final int QUERY_VALUE_MAX = 500;
    public static final int PAGE_MAX = 1_000_000;
    public static final int PAGE_SIZE_DEFAULT = 200;
    public static final int PAGE_SIZE_MAX = 1000;
    public static final double RADIUS_MAX_METRES = 100_000;
    public static final Duration DATE_SPAN_MAX = Duration.ofDays(90);
    public static final int YEAR_MIN = 1900;
    public static final int YEAR_MAX = 9999;

    private InputLimits() {
    }

    public static Text text(String name) {
        if (name.equals(DESCRIPTION.name())) {
            return DESCRIPTION;
        }
        if (name.equals(EMAIL.name())) {
            return EMAIL;
        }
        return SHORT_TEXTS.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No text field " + name));
    }

    /**
     * The most characters the gateway writes into each column of service_request that holds what a
     * client sent: each column must be at least this wide.
     */
    public static Map<String, Integer> storedColumns() {
        Map<String, Integer> columns = new LinkedHashMap<>();
        columns.put(DESCRIPTION.name(), DESCRIPTION.maxLength());
        columns.put(EMAIL.name(), EMAIL.maxLength());
        SHORT_TEXTS.forEach(text -> columns.put(text.name(), text.maxLength()));
        columns.put("service_code", CODE_MAX);
        columns.put("attributes", ATTRIBUTES_STORED_MAX);
        columns.put("media_urls", MEDIA_URLS_STORED_MAX);
        columns.put("extra_attributes", EXTRA_ATTRIBUTES_STORED_MAX);
        return columns;
    }

    /**
     * Whether the most media URLs a request may carry fit their column: {@link #MEDIA_URLS_MAX} client
     * URLs of {@link #MEDIA_URL_MAX} characters and {@code uploads} gateway URLs of {@code uploadUrlLength}.
     */
    public static boolean mediaUrlsFit(int uploads, int uploadUrlLength) {
        long worst = 2L + (long) MEDIA_URLS_MAX * (MEDIA_URL_MAX + 3) + (long) uploads * (uploadUrlLength + 3) - 1;
        return worst <= MEDIA_URLS_STORED_MAX;
    }
}
