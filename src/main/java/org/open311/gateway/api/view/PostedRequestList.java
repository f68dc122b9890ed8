package org.open311.gateway.api.view;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import org.open311.gateway.api.ApiBody;

import java.util.List;

/** POST requests: GeoReport v2's list of one {service_request_id, service_notice}. */
@JacksonXmlRootElement(localName = "service_requests")
public record PostedRequestList(
        @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "request")
        List<Posted> requests) implements ApiBody {

    public record Posted(String serviceRequestId, String serviceNotice) {
    }

    public static PostedRequestList of(String id) {
        return new PostedRequestList(List.of(new Posted(id, "")));
    }

    @Override
    public Object json() {
        return requests;
    }
}
