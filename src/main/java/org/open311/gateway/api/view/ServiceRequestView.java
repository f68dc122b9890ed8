package org.open311.gateway.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;

import java.util.List;

/** One service request as GET requests answers it; contact data is never part of it. */
@JsonPropertyOrder({"service_request_id", "status", "status_notes", "service_name", "service_code", "description",
        "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
        "address", "address_id", "zip_code", "lat", "long", "media_url", "extended_attributes"})
public record ServiceRequestView(
        String serviceRequestId,
        String status,
        String statusNotes,
        String serviceName,
        String serviceCode,
        String description,
        String agencyResponsible,
        String serviceNotice,
        String requestedDatetime,
        String updatedDatetime,
        @JsonInclude(JsonInclude.Include.NON_NULL) String expectedDatetime,
        String address,
        String addressId,
        String zipCode,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double lat,
        @JsonProperty("long") @JsonInclude(JsonInclude.Include.NON_NULL) Double lon,
        @JsonInclude(JsonInclude.Include.NON_NULL) String mediaUrl,
        @JsonInclude(JsonInclude.Include.NON_NULL) ExtendedAttributes extendedAttributes) {

    /**
     * The city's example answer carries address_id and zip_code, empty: requests are posted with an
     * address_string only (the POST has no field for either), so the gateway has neither to give. Both are
     * always present and always empty, as the document shows them, so clients that read them find them.
     */
    public static final String NO_ADDRESS_ID = "";
    public static final String NO_ZIP_CODE = "";

    /** The Helsinki/CitySDK extensions, present whenever extensions=true (clients break without them). */
    @JsonPropertyOrder({"title", "detailed_status", "service_object_id", "service_object_type", "media_urls", "tasks"})
    public record ExtendedAttributes(
            String title,
            String detailedStatus,
            @JsonInclude(JsonInclude.Include.NON_NULL) String serviceObjectId,
            @JsonInclude(JsonInclude.Include.NON_NULL) String serviceObjectType,
            @JacksonXmlElementWrapper(localName = "media_urls") @JacksonXmlProperty(localName = "media_url")
            List<String> mediaUrls,
            @JacksonXmlElementWrapper(localName = "tasks") @JacksonXmlProperty(localName = "task")
            List<Task> tasks) {
    }

    /** A task (a work order a back end keeps for the request), as the Helsinki API lists it. */
    @JsonPropertyOrder({"task_type", "task_state", "task_created", "task_modified", "owner_name"})
    public record Task(String taskType, String taskState, String taskCreated, String taskModified, String ownerName) {
    }
}
