package org.open311.gateway.api.view;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One entry of GET services. */
@JsonPropertyOrder({"service_code", "service_name", "description", "metadata", "type", "keywords", "group"})
public record ServiceView(
        String serviceCode,
        String serviceName,
        String description,
        boolean metadata,
        String type,
        String keywords,
        String group) {
}
