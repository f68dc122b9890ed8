package org.open311.gateway;

import org.apache.camel.spi.PropertiesComponent;

import java.nio.file.Path;

/**
 * The gateway's own settings ({@code gateway.*} in application.properties). Each is overridable by an
 * environment variable of the same name upper-cased with dots and dashes as underscores, e.g.
 * {@code GATEWAY_MAPPINGS_DIR}; docs/configuration.md lists them all.
 */
public record GatewaySettings(
        Path mappingsDir,
        String publicUrl,
        String discoveryChangeset,
        String discoveryContact,
        String discoveryKeyService,
        String environmentType) {

    static GatewaySettings from(PropertiesComponent properties) {
        return new GatewaySettings(
                Path.of(required(properties, "gateway.mappings.dir")),
                required(properties, "gateway.public-url"),
                required(properties, "gateway.discovery.changeset"),
                required(properties, "gateway.discovery.contact"),
                required(properties, "gateway.discovery.key-service"),
                required(properties, "gateway.discovery.type"));
    }

    private static String required(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key)
                .orElseThrow(() -> new IllegalStateException("Missing setting " + key));
    }
}
