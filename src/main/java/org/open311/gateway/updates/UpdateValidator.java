package org.open311.gateway.updates;

import org.apache.commons.validator.routines.EmailValidator;
import org.open311.gateway.api.ApiException;
import org.open311.gateway.requests.InputLimits;
import org.open311.gateway.requests.RequestForm;
import org.open311.gateway.requests.RequestValidator;
import org.open311.gateway.requests.W3cDatetime;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks a posted update (mySociety's POST servicerequestupdates) with the rules of a posted request: every
 * problem collected and answered at once (400), each naming its field, never repeating a contact value. The
 * extension's other optional fields (jurisdiction_id, title, account_id, service_code, …) are accepted and not kept.
 */
final class UpdateValidator {

    /** The statuses of mySociety's extension (status_extended_upper). */
    static final List<String> STATUSES = List.of("OPEN", "CLOSED", "FIXED", "IN_PROGRESS", "ACTION_SCHEDULED", "INVESTIGATING",
            "DUPLICATE", "NOT_COUNCILS_RESPONSIBILITY", "NO_FURTHER_ACTION", "INTERNAL_REFERRAL", "REOPEN", "FOR_TRIAGE");
    /** The client's update_id: FixMyStreet's are numbers, any client's id fits. */
    static final int CLIENT_ID_MAX = 100;

    private final List<String> problems = new ArrayList<>();

    private UpdateValidator() {
    }

    /** Validates, listing {@code otherProblems} (e.g. of uploaded files) in the same answer. */
    static NewUpdate validate(RequestForm form, ZoneId zone, List<String> otherProblems) {
        UpdateValidator validator = new UpdateValidator();
        validator.problems.addAll(otherProblems);
        return validator.check(form, zone);
    }

    private NewUpdate check(RequestForm form, ZoneId zone) {
        String requestId = required(form, "service_request_id");
        String clientId = clientUpdateId(form);
        String status = status(form.first("status"));
        String description = description(form);
        OffsetDateTime updated = datetime(form.first("updated_datetime"), zone);
        List<String> mediaUrls = mediaUrls(form.all("media_url"));
        String email = form.first("email");
        if (email != null && (email.length() > InputLimits.EMAIL.maxLength() || !EmailValidator.getInstance().isValid(email))) {
            problems.add("email: not a valid email address");
        }
        String firstName = bounded(form, "first_name");
        String lastName = bounded(form, "last_name");
        String phone = bounded(form, "phone");
        if (!problems.isEmpty()) {
            throw new ApiException(400, problems);
        }
        return new NewUpdate(requestId, clientId, status, description, updated, mediaUrls, email, firstName, lastName, phone);
    }

    private String required(RequestForm form, String field) {
        String value = form.first(field);
        if (value == null) {
            problems.add(field + ": required");
        }
        return value;
    }

    private String clientUpdateId(RequestForm form) {
        String id = required(form, "update_id");
        if (id != null && (id.length() > CLIENT_ID_MAX || RequestValidator.hasControlCharacters(id))) {
            problems.add("update_id: at most " + CLIENT_ID_MAX + " characters, without control characters");
        }
        return id;
    }

    private String status(String status) {
        if (status == null) {
            problems.add("status: required, one of " + String.join(", ", STATUSES));
            return null;
        }
        String upper = status.toUpperCase(Locale.ROOT);
        if (!STATUSES.contains(upper)) {
            problems.add("status: must be one of " + String.join(", ", STATUSES));
        }
        return upper;
    }

    /** Required, but may be empty (an update that only asks for a status or adds a photo). */
    private String description(RequestForm form) {
        if (!form.has("description")) {
            problems.add("description: required (it may be empty)");
            return null;
        }
        String description = form.first("description") == null ? "" : form.first("description");
        int max = InputLimits.DESCRIPTION.maxLength();
        if (description.length() > max) {
            problems.add("description: at most " + max + " characters, was " + description.length());
        }
        if (RequestValidator.hasMarkup(description)) {
            problems.add("description: must be plain text, without HTML or other markup");
        }
        if (RequestValidator.hasControlCharacters(description)) {
            problems.add("description: must not contain control characters");
        }
        return description;
    }

    private OffsetDateTime datetime(String text, ZoneId zone) {
        if (text == null) {
            problems.add("updated_datetime: required");
            return null;
        }
        Optional<OffsetDateTime> time = W3cDatetime.parse(text, zone)
                .filter(t -> t.getYear() >= InputLimits.YEAR_MIN && t.getYear() <= InputLimits.YEAR_MAX);
        if (time.isEmpty()) {
            problems.add("updated_datetime: must be a W3C datetime, e.g. 2026-05-02T11:02+03:00 or 2026-05-02T08:02:07Z");
            return null;
        }
        return time.get();
    }

    private List<String> mediaUrls(List<String> urls) {
        if (urls.size() > InputLimits.MEDIA_URLS_MAX) {
            problems.add("media_url: at most " + InputLimits.MEDIA_URLS_MAX + " URLs");
        }
        for (String url : urls) {
            if (!RequestValidator.isMediaUrl(url)) {
                problems.add("media_url: '" + ApiException.quoteSafe(url) + "' must be an http or https URL of an image or video file");
            }
        }
        return urls;
    }

    private String bounded(RequestForm form, String field) {
        String value = form.first(field);
        int max = InputLimits.text(field).maxLength();
        if (value != null && (value.length() > max || RequestValidator.hasControlCharacters(value))) {
            problems.add(field + ": at most " + max + " characters, without control characters");
        }
        return value;
    }
}
