package org.open311.gateway.api.view;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import org.open311.gateway.api.ApiBody;

import java.util.List;

/** GET services: a JSON array, or {@code <services><service>…</service></services>}. */
@JacksonXmlRootElement(localName = "services")
public record ServiceList(
        @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "service")
        List<ServiceView> services) implements ApiBody {

    @Override
    public Object json() {
        return services;
    }
}
