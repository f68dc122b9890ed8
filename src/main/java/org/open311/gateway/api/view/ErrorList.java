package org.open311.gateway.api.view;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import org.open311.gateway.api.ApiBody;
import org.open311.gateway.api.ApiError;

import java.util.List;

/** GeoReport v2 errors: a JSON array of {code, description}, or {@code <errors><error>…}. */
@JacksonXmlRootElement(localName = "errors")
public record ErrorList(
        @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "error")
        List<ApiError> errors) implements ApiBody {

    @Override
    public Object json() {
        return errors;
    }
}
