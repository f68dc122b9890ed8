package org.open311.gateway.api.view;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import org.open311.gateway.api.ApiBody;

import java.util.List;

/** GET requests and GET requests/{id}: a JSON array, or {@code <service_requests><request>…}. */
@JacksonXmlRootElement(localName = "service_requests")
public record ServiceRequestList(
        @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "request")
        List<ServiceRequestView> requests) implements ApiBody {

    @Override
    public Object json() {
        return requests;
    }
}
