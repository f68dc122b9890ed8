package org.open311.gateway.api.view;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import org.open311.gateway.api.ApiBody;

import java.util.List;
import java.util.Map;

/**
 * GET servicerequestupdates (mySociety's extension): {@code {"service_request_updates": [...]}} in JSON,
 * {@code <service_request_updates><request_update>…} in XML.
 */
@JacksonXmlRootElement(localName = "service_request_updates")
public record ServiceRequestUpdateList(
        @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "request_update")
        List<Update> updates) implements ApiBody {

    /** One change clients could see: status open/closed, the public notes, the merged detailed status. */
    @JsonPropertyOrder({"update_id", "service_request_id", "status", "updated_datetime", "description", "media_url",
            "external_status_code"})
    public record Update(String updateId, String serviceRequestId, String status, String updatedDatetime,
                         String description, String mediaUrl, String externalStatusCode) {
    }

    @Override
    public Object json() {
        return Map.of("service_request_updates", updates);
    }
}
