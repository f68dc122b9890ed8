package org.open311.gateway.api.view;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import org.open311.gateway.api.ApiBody;

import java.util.List;

/** GET services/{code}: the GeoReport v2 service definition. */
@JacksonXmlRootElement(localName = "service_definition")
public record ServiceDefinitionView(
        String serviceCode,
        @JacksonXmlElementWrapper(localName = "attributes") @JacksonXmlProperty(localName = "attribute")
        List<Attribute> attributes) implements ApiBody {

    @JsonPropertyOrder({"variable", "code", "datatype", "required", "datatype_description", "order", "description", "values"})
    public record Attribute(
            boolean variable,
            String code,
            String datatype,
            boolean required,
            String datatypeDescription,
            int order,
            String description,
            @JacksonXmlElementWrapper(localName = "values") @JacksonXmlProperty(localName = "value")
            List<Value> values) {
    }

    public record Value(String key, String name) {
    }
}
