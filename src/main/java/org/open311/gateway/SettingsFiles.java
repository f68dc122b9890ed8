package org.open311.gateway;

import org.apache.camel.spi.PropertiesComponent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the server and the command line read their settings files, first match wins: the operator's
 * own file ({@code GATEWAY_CONFIG}, e.g. the distribution's {@code conf/application.properties}), the
 * profile's defaults ({@code application-prod.properties}), the embedded run's defaults. Environment
 * variables and system properties override all of them (Camel Main's order).
 */
public final class SettingsFiles {

    /** The environment variable naming the operator's settings file (system property {@code gateway.config}). */
    public static final String VARIABLE = "GATEWAY_CONFIG";

    private SettingsFiles() {
    }

    /** The profile: {@code CAMEL_MAIN_PROFILE} or the system property {@code camel.main.profile}; empty when none. */
    public static String profile(Map<String, String> environment) {
        String profile = environment.getOrDefault("CAMEL_MAIN_PROFILE", System.getProperty("camel.main.profile", ""));
        return profile == null ? "" : profile.trim();
    }

    /** Camel's property locations, first match wins; a named file that cannot be read stops here, naming the variable. */
    public static String locations(String profile, Map<String, String> environment) {
        List<String> locations = new ArrayList<>();
        external(environment).ifPresent(file -> locations.add("file:" + file));
        if (!profile.isBlank()) {
            locations.add("classpath:application-" + profile + ".properties;optional=true");
        }
        locations.add("classpath:application.properties");
        return String.join(",", locations);
    }

    /** Puts the operator's file before the locations Camel Main chose (the first match wins). */
    public static void putFirst(PropertiesComponent properties, Path file) {
        List<String> locations = new ArrayList<>();
        locations.add("file:" + file);
        locations.addAll(properties.getLocations());
        properties.setLocation(String.join(",", locations));
    }

    /** The operator's settings file, if one is named; one that cannot be read stops here, naming the variable. */
    public static Optional<Path> external(Map<String, String> environment) {
        String named = environment.getOrDefault(VARIABLE, System.getProperty("gateway.config", ""));
        if (named == null || named.isBlank()) {
            return Optional.empty();
        }
        Path file = Path.of(named.trim()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new SettingException("1 setting is missing or invalid (docs/configuration.md):" + System.lineSeparator()
                    + "  - " + VARIABLE + " = '" + named.trim() + "': expected a readable settings file (application.properties format)");
        }
        return Optional.of(file);
    }
}
