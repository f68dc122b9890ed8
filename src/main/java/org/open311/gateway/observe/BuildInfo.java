package org.open311.gateway.observe;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The gateway's version, as Maven wrote it into gateway-version.properties at build time. */
public final class BuildInfo {

    private BuildInfo() {
    }

    /** E.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} when run from classes Maven did not filter. */
    public static String version() {
        Properties build = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/gateway-version.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        String version = build.getProperty("version", "unknown").trim();
        return version.isEmpty() || version.startsWith("${") ? "unknown" : version;
    }
}
