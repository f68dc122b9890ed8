package org.open311.gateway.api.view;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import org.open311.gateway.api.ApiBody;

import java.util.List;
import java.util.Map;

/**
 * POST servicerequestupdates (mySociety's extension): a list of one item carrying the gateway's update_id,
 * {@code {"service_request_updates": [{"update_id": …}]}} in JSON,
 * {@code <service_request_updates><request_update><update_id>…} in XML.
 */
@JacksonXmlRootElement(localName = "service_request_updates")
public record PostedUpdateList(
        @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "request_update")
        List<Posted> updates) implements ApiBody {

    public record Posted(String updateId) {
    }

    public static PostedUpdateList of(String updateId) {
        return new PostedUpdateList(List.of(new Posted(updateId)));
    }

    @Override
    public Object json() {
        return Map.of("service_request_updates", updates);
    }
}
