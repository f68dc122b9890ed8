package org.open311.gateway.security;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.open311.gateway.security.Variants.Expect.ACCEPTED;
import static org.open311.gateway.security.Variants.Expect.ANSWERED;
import static org.open311.gateway.security.Variants.Expect.REFUSED;

/**
 * Generates, for one {@link Parameter}, values at each of its limits (accepted), just past and far past
 * them (refused), of the wrong type, empty and repeated, each with the answer it must get. Lengths are
 * UTF-16 units; each length limit is also met with astral characters (an emoji is two units) so that a
 * store counting otherwise would show.
 */
final class Variants {

    /** What the answer to a request carrying the value must be. */
    enum Expect {
        /** 200: the value is valid, and the store keeps it. */
        ACCEPTED,
        /** 4xx in the error shape. */
        REFUSED,
        /** 2xx or 4xx (e.g. an empty value where a default applies): never 5xx. */
        ANSWERED
    }

    /** The values a request carries for the parameter (none: it is left out; several: it is repeated). */
    record Variant(String label, List<String> values, Expect expect) {
    }

    /**
     * Far past any length limit but within the HTTP server's limits (in ASCII: percent-encoded, other text
     * grows up to nine times): a form field (gateway.http.max-form-field-bytes, 64 KB) or a request line (4 KB).
     */
    static final int FAR_IN_FORM = 60_000;
    static final int FAR_IN_QUERY = 3_000;
    /** Over the server's limit of one form field as sent (gateway.http.max-form-field-bytes). */
    static final int OVER_FIELD_LIMIT = 70_000;
    static final String EMOJI = "\uD83D\uDE00";
    private static final BigDecimal STEP = new BigDecimal("0.000001");

    private final Parameter parameter;
    private final boolean inQuery;
    private final List<Variant> variants = new ArrayList<>();

    private Variants(Parameter parameter, boolean inQuery) {
        this.parameter = parameter;
        this.inQuery = inQuery;
    }

    /** The generated values of a form field (POST) or of a query parameter (GET). */
    static List<Variant> of(Parameter parameter, boolean inQuery) {
        Variants generated = new Variants(parameter, inQuery);
        generated.generate();
        return generated.variants;
    }

    private void generate() {
        int far = inQuery ? FAR_IN_QUERY : FAR_IN_FORM;
        switch (parameter.kind()) {
            case TEXT -> text(far);
            case EMAIL -> email(far);
            case DECIMAL -> decimal(far);
            case INTEGER -> integer();
            case DATETIME -> datetime(far);
            case MEDIA_URLS -> mediaUrls(far);
            case CHOICE -> choice(far);
            case CHOICES -> choices(far);
            case NUMBER_TEXT -> numberText(far);
            case COMMA_LIST -> commaList(far);
            case CODE_LIST -> codeList(far);
            case CHOICE_LIST -> choiceList(far);
            case BBOX -> bbox(far);
            case FLAG, FREE -> free(far);
            case REFERENCE -> reference(far);
        }
        if (!inQuery && parameter.kind() != Parameter.Kind.REFERENCE) {
            add("over the server's field limit", REFUSED, "x".repeat(OVER_FIELD_LIMIT));
        }
        if (parameter.kind() != Parameter.Kind.REFERENCE) {
            add("empty", emptyExpect(), "");
            add("blank", emptyExpect(), "   ");
        }
        add("left out", parameter.required() ? REFUSED : ACCEPTED);
    }

    private Expect emptyExpect() {
        return parameter.required() ? REFUSED : ACCEPTED;
    }

    private void text(int far) {
        int min = (int) parameter.low();
        int max = parameter.maxLength();
        if (min > 0) {
            add("at its minimum length", ACCEPTED, plain(min));
            add("under its minimum length", REFUSED, plain(min - 1));
        }
        add("at its maximum length", ACCEPTED, plain(max));
        add("at its maximum length in emoji", ACCEPTED, astral(max));
        add("just past its maximum length", REFUSED, plain(max + 1));
        add("just past its maximum length in emoji", REFUSED, astral(max + 1));
        add("far past its maximum length", REFUSED, ascii(far));
        add("at its maximum length in quotes and backslashes", ACCEPTED, "\"\\".repeat(max / 2) + (max % 2 == 1 ? "\"" : ""));
        // a query only looks values up: a control character matches nothing, but is no error
        add("with a control character", inQuery ? ANSWERED : REFUSED, plain(Math.max(min, 4)).substring(0, 2) + "\u0007"
                + plain(Math.max(min, 4)).substring(3));
        add("repeated", ANSWERED, plain(Math.max(min, 4)), plain(Math.max(min, 5)));
    }

    private void email(int far) {
        int max = parameter.maxLength();
        add("at its maximum length", ACCEPTED, emailOf(max));
        add("just past its maximum length", REFUSED, emailOf(max + 1));
        add("far past its maximum length", REFUSED, "a".repeat(far) + "@example.org");
        add("not an address", REFUSED, "not-an-address");
        add("with a control character", REFUSED, "resident\u0007@example.org");
        add("repeated", ANSWERED, "first@example.org", "second@example.org");
    }

    private void decimal(int far) {
        double low = parameter.low();
        double high = parameter.high();
        add("at its lower limit", ACCEPTED, number(low));
        add("at its upper limit", ACCEPTED, number(high));
        add("just under its lower limit", REFUSED, BigDecimal.valueOf(low).subtract(STEP).toPlainString());
        add("just over its upper limit", REFUSED, BigDecimal.valueOf(high).add(STEP).toPlainString());
        add("far past its limits", REFUSED, "1e308");
        add("overflowing to infinity", REFUSED, "1e309");
        add("NaN", REFUSED, "NaN");
        add("negative infinity", REFUSED, "-Infinity");
        add("not a number", REFUSED, "sixty");
        add("hexadecimal", REFUSED, "0x1F");
        add("with absurd precision", ANSWERED, "0." + "1".repeat(far));
        add("repeated", ANSWERED, number((low + high) / 2), number(high));
    }

    private void integer() {
        long low = (long) parameter.low();
        long high = (long) parameter.high();
        add("at its lower limit", ACCEPTED, String.valueOf(low));
        add("at its upper limit", ACCEPTED, String.valueOf(high));
        add("just under its lower limit", REFUSED, String.valueOf(low - 1));
        add("just over its upper limit", REFUSED, String.valueOf(high + 1));
        add("far past its limits", REFUSED, "9".repeat(30));
        add("a fraction", REFUSED, "1.5");
        add("not a number", REFUSED, "ten");
        add("with a sign", ANSWERED, "+" + low);
        add("repeated", ANSWERED, String.valueOf(low), String.valueOf(high));
    }

    private void datetime(int far) {
        boolean ranged = parameter.high() > 0;
        add("at its earliest year", ACCEPTED, (ranged ? (int) parameter.low() : 1900) + "-01-01T00:00:00Z");
        add("at its latest year", ACCEPTED, (ranged ? (int) parameter.high() : 9999) + "-12-31T23:59:59Z");
        if (ranged) {
            add("a year before its earliest", REFUSED, ((int) parameter.low() - 1) + "-12-31T23:59:59Z");
            add("a year after its latest", REFUSED, "+" + ((int) parameter.high() + 1) + "-01-01T00:00:00Z");
        }
        add("with nanoseconds and the widest offset", ACCEPTED, "2026-05-02T08:02:07.123456789+18:00");
        // the year range applies to the instant: in UTC these are a year past it
        add("at its latest year, but the next in UTC", ranged ? REFUSED : ANSWERED, "9999-12-31T23:59:59-18:00");
        add("at its earliest year, but the one before in UTC", ranged ? REFUSED : ANSWERED, "1900-01-01T00:00:00+00:01");
        // a query's dates take every profile of the W3C format (a date alone is the start of that day, issue #16);
        // an attribute's datetime answer is a moment: date and time with a zone
        Expect dateOnly = inQuery ? ACCEPTED : REFUSED;
        add("a date only", dateOnly, "2026-05-02");
        add("a year and month only", dateOnly, "2026-05");
        add("a year only", dateOnly, "2026");
        add("to the minute", ACCEPTED, "2026-05-02T11:02+03:00");
        add("a date that does not exist", REFUSED, "2026-02-30");
        add("without a zone", REFUSED, "2026-05-02T11:02:07");
        add("not a datetime", REFUSED, "yesterday");
        add("far past any length", REFUSED, "2026-05-02T11:02:07Z" + "9".repeat(far));
        add("repeated", ANSWERED, "2026-05-01T00:00:00Z", "2026-05-02T00:00:00Z");
    }

    private void mediaUrls(int far) {
        int max = parameter.maxLength();
        int count = parameter.maxCount();
        add("the most URLs, each at its maximum length", ACCEPTED,
                IntStream.range(0, count).mapToObj(i -> url(max, i)).toArray(String[]::new));
        add("one URL too many", REFUSED, IntStream.range(0, count + 1).mapToObj(i -> url(40, i)).toArray(String[]::new));
        add("just past its maximum length", REFUSED, url(max + 1, 0));
        add("far past its maximum length", REFUSED, url(far, 0));
        add("in emoji", ANSWERED, "https://example.org/" + EMOJI.repeat(10) + ".jpg");
        add("not a media file", REFUSED, "https://example.org/page.html");
        add("not http", REFUSED, "javascript:alert(1)//.jpg");
        add("repeated", ACCEPTED, url(60, 0), url(60, 0));
    }

    private void choice(int far) {
        List<String> keys = parameter.choices();
        add("its first value", ACCEPTED, keys.get(0));
        add("its last value", ACCEPTED, keys.get(keys.size() - 1));
        add("with spaces around", ACCEPTED, " " + keys.get(0) + " ");
        add("not one of its values", REFUSED, "none-of-these");
        add("far past any length", REFUSED, "x".repeat(far));
        add("with a control character", REFUSED, keys.get(0).charAt(0) + "\u0007" + keys.get(0).substring(1));
        add("repeated", REFUSED, keys.get(0), keys.get(0));
    }

    private void choices(int far) {
        List<String> keys = parameter.choices();
        add("all its values", ACCEPTED, keys.toArray(String[]::new));
        add("one value", ACCEPTED, keys.get(0));
        add("a value twice", REFUSED, keys.get(0), keys.get(0));
        add("not one of its values", REFUSED, "none-of-these");
        add("far past any length", REFUSED, "x".repeat(far));
        List<String> many = new ArrayList<>(keys);
        IntStream.range(0, 200).forEach(i -> many.add(keys.get(i % keys.size())));
        add("its values 200 times over", REFUSED, many.toArray(String[]::new));
    }

    private void numberText(int far) {
        int max = parameter.maxLength();
        add("a number", ACCEPTED, "12.5");
        add("a number at its maximum length", ACCEPTED, "0." + "0".repeat(max - 3) + "1");
        add("a number just past its maximum length", REFUSED, "0." + "0".repeat(max - 2) + "1");
        add("far past its maximum length", REFUSED, "1".repeat(far));
        add("overflowing to infinity", REFUSED, "1e309");
        add("NaN", REFUSED, "NaN");
        add("not a number", REFUSED, "twelve");
        add("repeated", REFUSED, "1", "2");
    }

    private void commaList(int far) {
        int count = parameter.maxCount();
        int max = parameter.maxLength();
        add("the most values", ACCEPTED, IntStream.range(0, count).mapToObj(i -> "v" + i).collect(Collectors.joining(",")));
        add("one value too many", REFUSED, IntStream.range(0, count + 1).mapToObj(i -> "v" + i).collect(Collectors.joining(",")));
        add("a value at its maximum length", ACCEPTED, plain(max));
        add("a value at its maximum length in emoji", ACCEPTED, astral(max));
        add("a value just past its maximum length", REFUSED, plain(max + 1));
        add("a value far past its maximum length", REFUSED, ascii(far));
        add("only commas", ACCEPTED, ",,,");
        add("repeated", ACCEPTED, "a1", "b2");
    }

    /** Codes the gateway knows, as COMMA_LIST limits them; a code it does not know is a 404 (the city's document). */
    private void codeList(int far) {
        int count = parameter.maxCount();
        int max = parameter.maxLength();
        List<String> keys = parameter.choices();
        add("all its values", ACCEPTED, String.join(",", keys));
        add("one value too many", REFUSED, IntStream.range(0, count + 1).mapToObj(i -> "v" + i).collect(Collectors.joining(",")));
        add("a value at its maximum length that names nothing", REFUSED, plain(max));
        add("a value just past its maximum length", REFUSED, plain(max + 1));
        add("a value far past its maximum length", REFUSED, ascii(far));
        add("not one of its values", REFUSED, "none-of-these");
        add("only commas", ACCEPTED, ",,,");
        add("repeated", ACCEPTED, keys.get(0), keys.get(keys.size() - 1));
    }

    private void choiceList(int far) {
        List<String> keys = parameter.choices();
        add("all its values", ACCEPTED, String.join(",", keys));
        add("one value", ACCEPTED, keys.get(0));
        add("a value 300 times", ACCEPTED, (keys.get(0) + ",").repeat(300));
        add("not one of its values", REFUSED, "none-of-these");
        add("far past any length", REFUSED, "x".repeat(far));
        add("repeated", ACCEPTED, keys.get(0), keys.get(keys.size() - 1));
    }

    private void bbox(int far) {
        add("the whole world", ACCEPTED, "-180,-90,180,90");
        add("just past the world", REFUSED, "-180.000001,-90,180,90");
        add("just past a pole", REFUSED, "-180,-90,180,90.000001");
        add("three numbers", REFUSED, "1,2,3");
        add("five numbers", REFUSED, "1,2,3,4,5");
        add("NaN", REFUSED, "NaN,NaN,NaN,NaN");
        add("infinite", REFUSED, "-Infinity,-Infinity,Infinity,Infinity");
        add("reversed", REFUSED, "25,61,24,60");
        add("far past any length", REFUSED, "1," + "2".repeat(far) + ",3,4");
        add("repeated", ANSWERED, "24.9,60.15,25.0,60.2", "-180,-90,180,90");
    }

    private void free(int far) {
        add("short", ACCEPTED, "fi");
        add("long", ACCEPTED, ascii(far));
        add("in emoji", ACCEPTED, astral(100));
        add("odd", ACCEPTED, "TRUE");
        add("repeated", ACCEPTED, "true", "sv_FI");
    }

    private void reference(int far) {
        String valid = parameter.choices().get(0);
        add("a valid one", ACCEPTED, valid);
        add("an unknown one", REFUSED, "no-such-thing");
        add("unknown, at the longest a code may be", REFUSED, "9".repeat(parameter.maxLength()));
        add("unknown, just past the longest a code may be", REFUSED, "9".repeat(parameter.maxLength() + 1));
        add("far past any length", REFUSED, "9".repeat(far));
        add("an emoji cut where errors abbreviate it", REFUSED, "x".repeat(63) + EMOJI + "y");
        add("empty", REFUSED, "");
        add("repeated", ANSWERED, valid, "no-such-thing");
    }

    private void add(String label, Expect expect, String... values) {
        variants.add(new Variant(label, List.of(values), expect));
    }

    /** Plain text of exactly n units, without spaces at either end (the API trims values). */
    static String plain(int n) {
        return "Syväkuoppapyörätiellä".repeat(n / 21 + 1).substring(0, n);
    }

    /** ASCII text of exactly n characters. */
    static String ascii(int n) {
        return "x".repeat(n);
    }

    /** Text of exactly n units, in emoji (two units each) and a letter if n is odd. */
    static String astral(int n) {
        return EMOJI.repeat(n / 2) + (n % 2 == 1 ? "a" : "");
    }

    /** A valid email address of exactly n characters (n from 70 to 255). */
    static String emailOf(int n) {
        String local = "a".repeat(64);
        int labels = n - local.length() - 1 - ".fi".length();
        return local + "@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(labels - 128) + ".fi";
    }

    /** An http URL of a photo of exactly n characters; distinct for distinct i. */
    static String url(int n, int i) {
        String start = "https://example.org/" + i + "/";
        return start + "p".repeat(n - start.length() - 4) + ".jpg";
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
