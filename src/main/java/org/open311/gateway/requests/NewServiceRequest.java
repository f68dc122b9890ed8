package org.open311.gateway.requests;

import java.util.List;
import java.util.Map;

/**
 * A validated service request, ready to be stored. {@code extraAttributes}: answers to attributes the service
 * does not define, for the CRM only (empty when none).
 */
public record NewServiceRequest(
        String serviceCode,
        String description,
        String title,
        Double lat,
        Double lon,
        String addressString,
        String serviceObjectType,
        String serviceObjectId,
        String email,
        String firstName,
        String lastName,
        String phone,
        Map<String, Object> attributes,
        List<String> mediaUrls,
        String locale,
        Map<String, Object> extraAttributes) {

    /** The submitter's contact data stays out of every log line and error text. */
    @Override
    public String toString() {
        return "NewServiceRequest[serviceCode=" + serviceCode + "]";
    }
}
