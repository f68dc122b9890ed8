package org.open311.gateway.api;

import org.apache.camel.spi.PropertiesComponent;
import org.open311.gateway.SettingsReader;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the public API meets browsers, caches and proxies ({@code gateway.cors.*}, {@code gateway.http.*-max-age-seconds},
 * {@code gateway.http.compression-level}; docs/configuration.md).
 *
 * @param allowedOrigins   the origins whose web pages may call the API; {@code ["*"]} for any, empty for none
 * @param catalogueMaxAge  seconds a client or cache may reuse discovery, the service list and definitions
 * @param requestsMaxAge   seconds a client or cache may reuse a request or a list of them
 * @param compressionLevel gzip/deflate level (1 fastest to 9 smallest) for clients that ask; 0 answers uncompressed
 */
public record HttpSettings(List<String> allowedOrigins, int catalogueMaxAge, int requestsMaxAge, int compressionLevel) {

    public static final String ANY_ORIGIN = "*";

    /** Read where they are needed; {@link #read} has checked them before the gateway started. */
    public static HttpSettings from(PropertiesComponent properties) {
        SettingsReader settings = new SettingsReader(properties, key -> false, "");
        HttpSettings http = read(settings);
        settings.check();
        return http;
    }

    public static HttpSettings read(SettingsReader settings) {
        return new HttpSettings(
                origins(settings, "gateway.cors.allowed-origins"),
                settings.integer("gateway.http.catalogue-max-age-seconds", 0),
                settings.integer("gateway.http.requests-max-age-seconds", 0),
                settings.integer("gateway.http.compression-level", 0, 9));
    }

    public boolean anyOrigin() {
        return allowedOrigins.equals(List.of(ANY_ORIGIN));
    }

    /** {@code *}, or a comma-separated list of origins as browsers send them: scheme://host[:port], no path. */
    static List<String> origins(SettingsReader settings, String key) {
        String value = settings.optional(key);
        List<String> origins = new ArrayList<>();
        for (String origin : value.split(",")) {
            if (!origin.isBlank()) {
                origins.add(origin.trim());
            }
        }
        if (origins.equals(List.of(ANY_ORIGIN))) {
            return origins;
        }
        for (String origin : origins) {
            if (!isOrigin(origin)) {
                settings.invalid(key, value, "* (any origin), or comma-separated origins such as https://www.hel.fi,"
                        + "https://palaute.example.fi:8443 (scheme, host and port only), or empty (no cross-origin calls)");
                return List.of();
            }
        }
        return List.copyOf(origins);
    }

    private static boolean isOrigin(String origin) {
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                    && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
