package org.open311.gateway.api.view;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import org.open311.gateway.api.ApiBody;

import java.util.List;

/** GET discovery: where the API is and what it speaks. */
@JacksonXmlRootElement(localName = "discovery")
@JsonPropertyOrder({"changeset", "contact", "key_service", "endpoints"})
public record DiscoveryView(
        String changeset,
        String contact,
        String keyService,
        @JacksonXmlElementWrapper(localName = "endpoints") @JacksonXmlProperty(localName = "endpoint")
        List<Endpoint> endpoints) implements ApiBody {

    @JsonPropertyOrder({"specification", "url", "changeset", "type", "formats"})
    public record Endpoint(
            String specification,
            String url,
            String changeset,
            String type,
            @JacksonXmlElementWrapper(localName = "formats") @JacksonXmlProperty(localName = "format")
            List<String> formats) {
    }
}
