package org.open311.gateway.requests;

import org.apache.commons.validator.routines.EmailValidator;
import org.open311.gateway.api.ApiException;
import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.catalogue.Datatype;
import org.open311.gateway.catalogue.ServiceEntry;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a posted service request against the API's rules and the service's definition. Every problem
 * is collected and answered at once (400), each naming its field; an unknown or retired service is 404.
 * Error texts never repeat a contact value. The limits are {@link InputLimits}': whatever passes fits
 * the store's columns.
 */
public final class RequestValidator {

    private static final Set<String> MEDIA_EXTENSIONS = Set.of(
            "jpg", "jpeg", "png", "gif", "webp", "heic", "heif", "bmp", "tif", "tiff",
            "mp4", "mov", "m4v", "webm", "3gp", "avi");
    /** A tag, comment, declaration or entity: the description must be plain text. */
    private static final Pattern MARKUP = Pattern.compile("<\\s*[a-zA-Z/!?]|&[a-zA-Z]+;|&#\\d+;|&#x[0-9a-fA-F]+;");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\\r\\n\\t]]");
    private static final Pattern ATTRIBUTE = Pattern.compile("attribute\\[([^\\]]+)\\](\\[\\])?");
    /** Several URLs joined by commas (as some generated clients send an array): valid as one URL, never meant as one. */
    private static final Pattern JOINED_URLS = Pattern.compile("(?i),\\s*https?://");

    private final List<String> problems = new ArrayList<>();

    private RequestValidator() {
    }

    public static NewServiceRequest validate(RequestForm form, Catalogue catalogue) {
        return validate(form, catalogue, List.of());
    }

    /** Validates, listing {@code otherProblems} (e.g. of uploaded files) in the same answer. */
    public static NewServiceRequest validate(RequestForm form, Catalogue catalogue, List<String> otherProblems) {
        RequestValidator validator = new RequestValidator();
        validator.problems.addAll(otherProblems);
        return validator.check(form, catalogue);
    }

    private NewServiceRequest check(RequestForm form, Catalogue catalogue) {
        ServiceEntry service = service(form, catalogue);
        String description = description(form.first("description"));
        Double lat = coordinate(form, "lat", InputLimits.LAT_MAX);
        Double lon = coordinate(form, "long", InputLimits.LONG_MAX);
        location(form, lat, lon);
        String email = email(form.first("email"));
        Map<String, String> texts = new LinkedHashMap<>();
        for (InputLimits.Text field : InputLimits.SHORT_TEXTS) {
            texts.put(field.name(), bounded(form, field));
        }
        List<String> mediaUrls = mediaUrls(form.all("media_url"));
        Map<String, Object> extra = new LinkedHashMap<>();
        Map<String, Object> attributes = service == null ? Map.of() : attributes(form, service, extra);
        if (problems.isEmpty() && RequestRows.toJson(attributes).length() > InputLimits.ATTRIBUTES_STORED_MAX) {
            // each answer is within its limit, but a service with many long answers could still overflow
            problems.add("attribute: the answers together are longer than the " + InputLimits.ATTRIBUTES_STORED_MAX
                    + " characters the gateway keeps");
        }
        if (problems.isEmpty() && RequestRows.toJson(extra).length() > InputLimits.EXTRA_ATTRIBUTES_STORED_MAX) {
            problems.add("attribute: the answers to attributes the service does not define are together longer than the "
                    + InputLimits.EXTRA_ATTRIBUTES_STORED_MAX + " characters the gateway keeps");
        }
        if (!problems.isEmpty()) {
            throw new ApiException(400, problems);
        }
        return new NewServiceRequest(service.code(), description, texts.get("title"), lat, lon,
                texts.get("address_string"), texts.get("service_object_type"), texts.get("service_object_id"),
                email, texts.get("first_name"), texts.get("last_name"), texts.get("phone"),
                attributes, mediaUrls, texts.get("locale"), extra);
    }

    private ServiceEntry service(RequestForm form, Catalogue catalogue) {
        String code = form.first("service_code");
        if (code == null) {
            problems.add("service_code: required");
            return null;
        }
        return catalogue.activeService(code).orElseThrow(() ->
                ApiException.notFound("service_code: service '" + ApiException.quoteSafe(code) + "' not found"));
    }

    private String description(String description) {
        if (description == null) {
            problems.add("description: required");
            return null;
        }
        int length = description.length();
        int max = InputLimits.DESCRIPTION.maxLength();
        if (length < InputLimits.DESCRIPTION_MIN || length > max) {
            problems.add("description: must be " + InputLimits.DESCRIPTION_MIN + " to " + max + " characters long, was " + length);
        }
        if (MARKUP.matcher(description).find()) {
            problems.add("description: must be plain text, without HTML or other markup");
        }
        if (CONTROL.matcher(description).find()) {
            problems.add("description: must not contain control characters");
        }
        return description;
    }

    private Double coordinate(RequestForm form, String field, double limit) {
        String text = form.first(field);
        if (text == null) {
            return null;
        }
        try {
            double value = Double.parseDouble(text);
            if (Double.isFinite(value) && Math.abs(value) <= limit) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(field + ": must be a number from " + (int) -limit + " to " + (int) limit);
        return null;
    }

    private void location(RequestForm form, Double lat, Double lon) {
        for (String misnamed : List.of("lon", "lng")) {
            if (form.has(misnamed)) {
                problems.add(misnamed + ": not a parameter of this API: send the longitude as 'long'");
            }
        }
        boolean hasLat = form.first("lat") != null;
        boolean hasLong = form.first("long") != null;
        boolean hasObjectId = form.first("service_object_id") != null;
        boolean hasObjectType = form.first("service_object_type") != null;
        if (hasLat != hasLong) {
            problems.add((hasLat ? "long" : "lat") + ": required with " + (hasLat ? "lat" : "long"));
        }
        if (hasObjectId && !hasObjectType) {
            problems.add("service_object_type: required with service_object_id");
        }
        if (!hasLat && !hasLong && !hasObjectId) {
            problems.add("lat: a location is required: lat and long, or service_object_id and service_object_type");
        }
    }

    private String email(String email) {
        if (email != null && (email.length() > InputLimits.EMAIL.maxLength() || !EmailValidator.getInstance().isValid(email))) {
            problems.add("email: not a valid email address");
        }
        return email;
    }

    private String bounded(RequestForm form, InputLimits.Text field) {
        String value = form.first(field.name());
        if (value != null && value.length() > field.maxLength()) {
            problems.add(field.name() + ": at most " + field.maxLength() + " characters");
        }
        if (value != null && CONTROL.matcher(value).find()) {
            problems.add(field.name() + ": must not contain control characters");
        }
        return value;
    }

    private List<String> mediaUrls(List<String> urls) {
        if (urls.size() > InputLimits.MEDIA_URLS_MAX) {
            problems.add("media_url: at most " + InputLimits.MEDIA_URLS_MAX + " URLs");
        }
        for (String url : urls) {
            if (JOINED_URLS.matcher(url).find()) {
                problems.add("media_url: send one URL per media_url field, not several joined by commas");
            } else if (!isMediaUrl(url)) {
                problems.add("media_url: '" + ApiException.quoteSafe(url) + "' must be an http or https URL ending in an"
                        + " image or video file type (" + String.join(", ", MEDIA_EXTENSIONS.stream().sorted().toList()) + ")");
            }
        }
        return urls;
    }

    /** Whether a text carries markup (a tag, comment, declaration or entity): posted texts must be plain. */
    public static boolean hasMarkup(String text) {
        return MARKUP.matcher(text).find();
    }

    /** Whether a text carries control characters other than line breaks and tabs. */
    public static boolean hasControlCharacters(String text) {
        return CONTROL.matcher(text).find();
    }

    public static boolean isMediaUrl(String url) {
        if (url.length() > InputLimits.MEDIA_URL_MAX) {
            return false;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String path = uri.getPath() == null ? "" : uri.getPath().toLowerCase(Locale.ROOT);
            int dot = path.lastIndexOf('.');
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && dot > path.lastIndexOf('/') && MEDIA_EXTENSIONS.contains(path.substring(dot + 1));
        } catch (Exception e) {
            return false;
        }
    }

    /** The answers to the service's attributes; answers to attributes it does not define go to {@code extra}. */
    private Map<String, Object> attributes(RequestForm form, ServiceEntry service, Map<String, Object> extra) {
        Map<String, ServiceEntry.AttributeEntry> definitions = new LinkedHashMap<>();
        service.attributeList().forEach(a -> definitions.put(a.code(), a));
        Map<String, List<String>> given = new LinkedHashMap<>();
        Map<String, List<String>> undefined = new LinkedHashMap<>();
        for (String name : form.names()) {
            Matcher matcher = ATTRIBUTE.matcher(name);
            if (!name.startsWith("attribute[")) {
                continue;
            }
            if (!matcher.matches()) {
                problems.add(ApiException.quoteSafe(name) + ": not an attribute field; send attribute[CODE] or attribute[CODE][]");
                continue;
            }
            Map<String, List<String>> answers = definitions.containsKey(matcher.group(1)) ? given : undefined;
            answers.computeIfAbsent(matcher.group(1), k -> new ArrayList<>()).addAll(form.all(name));
        }
        extra.putAll(extraAttributes(undefined));
        Map<String, Object> values = new LinkedHashMap<>();
        for (ServiceEntry.AttributeEntry definition : definitions.values()) {
            if (!definition.isVariable()) {
                continue;
            }
            List<String> answers = given.getOrDefault(definition.code(), List.of());
            String field = "attribute[" + definition.code() + "]";
            if (answers.isEmpty()) {
                if (definition.isRequired()) {
                    problems.add(field + ": required");
                }
                continue;
            }
            Object value = attributeValue(field, definition, answers);
            if (value != null) {
                values.put(definition.code(), value);
            }
        }
        return values;
    }

    /**
     * Answers to attributes the service does not define (FixMyStreet's {@code attribute[uprn]}, its own fields):
     * kept for the CRM instead of refusing the report, within {@link InputLimits}' caps; blank ones are dropped.
     */
    private Map<String, Object> extraAttributes(Map<String, List<String>> undefined) {
        Map<String, Object> extra = new LinkedHashMap<>();
        undefined.forEach((code, answers) -> {
            if (!answers.isEmpty()) {
                extra.put(code, answers.size() == 1 ? answers.get(0) : List.copyOf(answers));
            }
        });
        if (extra.size() > InputLimits.EXTRA_ATTRIBUTES_MAX) {
            problems.add("attribute: at most " + InputLimits.EXTRA_ATTRIBUTES_MAX + " attributes the service does not define");
            return Map.of();
        }
        for (Map.Entry<String, Object> entry : extra.entrySet()) {
            String field = "attribute[" + ApiException.quoteSafe(entry.getKey()) + "]";
            if (entry.getKey().length() > InputLimits.EXTRA_ATTRIBUTE_NAME_MAX || CONTROL.matcher(entry.getKey()).find()) {
                problems.add(field + ": an attribute code of at most " + InputLimits.EXTRA_ATTRIBUTE_NAME_MAX
                        + " characters, without control characters");
                continue;
            }
            List<?> values = entry.getValue() instanceof List<?> many ? many : List.of(entry.getValue());
            if (values.stream().map(String::valueOf).anyMatch(v -> v.length() > InputLimits.ATTRIBUTE_VALUE_MAX)) {
                problems.add(field + ": at most " + InputLimits.ATTRIBUTE_VALUE_MAX + " characters");
            } else if (values.stream().map(String::valueOf).anyMatch(v -> CONTROL.matcher(v).find())) {
                problems.add(field + ": must not contain control characters");
            }
        }
        return extra;
    }

    private Object attributeValue(String field, ServiceEntry.AttributeEntry definition, List<String> answers) {
        Datatype datatype = definition.type();
        if (datatype != Datatype.MULTIVALUELIST && answers.size() > 1) {
            problems.add(field + ": one value expected");
            return null;
        }
        Set<String> keys = new HashSet<>();
        definition.valueList().forEach(v -> keys.add(v.key()));
        for (String each : answers) {
            if (each.length() > InputLimits.ATTRIBUTE_VALUE_MAX) {
                problems.add(field + ": at most " + InputLimits.ATTRIBUTE_VALUE_MAX + " characters");
                return null;
            }
            if (CONTROL.matcher(each).find()) {
                problems.add(field + ": must not contain control characters");
                return null;
            }
        }
        String answer = answers.get(0);
        switch (datatype) {
            case NUMBER -> {
                try {
                    double number = Double.parseDouble(answer);
                    if (!Double.isFinite(number)) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    problems.add(field + ": must be a number");
                }
            }
            case DATETIME -> {
                try {
                    OffsetDateTime.parse(answer);
                } catch (DateTimeParseException e) {
                    problems.add(field + ": must be a date and time with a zone, e.g. 2026-05-02T11:02:07+03:00");
                }
            }
            case SINGLEVALUELIST -> {
                if (!keys.contains(answer)) {
                    problems.add(field + ": must be one of " + String.join(", ", keys.stream().sorted().toList()));
                }
            }
            case MULTIVALUELIST -> {
                if (new HashSet<>(answers).size() < answers.size()) {
                    problems.add(field + ": each value at most once");
                    return null;
                }
                for (String each : answers) {
                    if (!keys.contains(each)) {
                        problems.add(field + ": '" + ApiException.quoteSafe(each) + "' is not one of "
                                + String.join(", ", keys.stream().sorted().toList()));
                    }
                }
                return List.copyOf(answers);
            }
            case STRING, TEXT -> {
                // checked above: its length and characters
            }
        }
        return answer;
    }
}
