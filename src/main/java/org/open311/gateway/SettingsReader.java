package org.open311.gateway;

import org.apache.camel.spi.PropertiesComponent;
import org.open311.gateway.observe.SecretMasking;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Reads settings typed, and collects every missing or unusable one instead of stopping at the first:
 * {@link #check()} then reports them all at once, each with its environment variable, its value (a
 * secret's only as its length) and what is expected. A reader returns a harmless stand-in for a bad
 * value so that reading goes on; nothing read may be used before {@link #check()} passed.
 */
public final class SettingsReader {

    private final PropertiesComponent properties;
    private final Predicate<String> secret;
    private final String profile;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param secret  which settings are secrets (their values are never shown)
     * @param profile Camel Main's profile ({@code prod}), or empty
     */
    public SettingsReader(PropertiesComponent properties, Predicate<String> secret, String profile) {
        this.properties = properties;
        this.secret = secret;
        this.profile = profile == null ? "" : profile.trim();
    }

    /** Whether the gateway runs with the production profile ({@code CAMEL_MAIN_PROFILE=prod}). */
    public boolean production() {
        return profile.equals("prod");
    }

    /** A setting's value, trimmed; empty when not set. */
    public String optional(String key) {
        try {
            return properties.resolveProperty(key).map(String::trim).orElse("");
        } catch (IllegalArgumentException unresolvable) {
            // a placeholder in it names a setting that has no value
            problems.add(name(key) + " cannot be resolved (" + unresolvable.getMessage() + "): expected a value");
            return "";
        }
    }

    /** A setting that must be given. */
    public String text(String key, String expected) {
        String value = optional(key);
        if (value.isEmpty()) {
            missing(key, expected);
        }
        return value;
    }

    /** A whole number of at least {@code minimum} (0 when missing or unusable). */
    public long wholeNumber(String key, long minimum) {
        String expected = "a whole number of at least " + minimum;
        String value = text(key, expected);
        if (value.isEmpty()) {
            return minimum;
        }
        try {
            long number = Long.parseLong(value);
            if (number >= minimum) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        invalid(key, value, expected);
        return minimum;
    }

    /** A whole number from {@code minimum} to {@code maximum}. */
    public int integer(String key, int minimum, int maximum) {
        String expected = "a whole number from " + minimum + " to " + maximum;
        String value = text(key, expected);
        if (value.isEmpty()) {
            return minimum;
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= minimum && number <= maximum) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        invalid(key, value, expected);
        return minimum;
    }

    /** A whole number of at least {@code minimum} that fits an int. */
    public int integer(String key, int minimum) {
        return integer(key, minimum, Integer.MAX_VALUE);
    }

    /** {@code true} or {@code false}. */
    public boolean flag(String key) {
        String value = text(key, "true or false");
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        if (!value.isEmpty()) {
            invalid(key, value, "true or false");
        }
        return false;
    }

    /** A time-zone id such as Europe/Helsinki. */
    public ZoneId zone(String key) {
        String expected = "a time-zone id such as Europe/Helsinki (or UTC, +02:00)";
        String value = text(key, expected);
        if (!value.isEmpty()) {
            try {
                return ZoneId.of(value);
            } catch (DateTimeException e) {
                invalid(key, value, expected);
            }
        }
        return ZoneId.of("UTC");
    }

    /** An absolute http:// or https:// URL with a host, e.g. a back end's base URL. */
    public String httpUrl(String key, String what) {
        String expected = what + ": an absolute http:// or https:// URL, e.g. https://host.example/path";
        String value = text(key, expected);
        if (!value.isEmpty()) {
            try {
                URI uri = new URI(value);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                    return value;
                }
            } catch (java.net.URISyntaxException e) {
                // reported below
            }
            invalid(key, value, expected);
        }
        return value;
    }

    /** A file-system path (relative to the working directory). */
    public Path path(String key, String expected) {
        String value = text(key, expected);
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            invalid(key, value, expected);
            return Path.of(".");
        }
    }

    /** Records a setting that is set but unusable. */
    public void invalid(String key, String value, String expected) {
        problems.add(name(key) + " = " + shown(key, value) + ": expected " + expected);
    }

    /** Records a setting that must be given and is not. */
    public void missing(String key, String expected) {
        problems.add(name(key) + " is missing: expected " + expected);
    }

    /** Records a problem worded by the caller (it must name the setting). */
    public void problem(String text) {
        problems.add(text);
    }

    /** The problems so far, each one line. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Stops, with every problem at once, if any setting is missing or unusable. */
    public void check() {
        if (problems.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder(problems.size() == 1 ? "1 setting is" : problems.size() + " settings are")
                .append(" missing or invalid (docs/configuration.md):");
        problems.forEach(problem -> message.append(System.lineSeparator()).append("  - ").append(problem));
        throw new SettingException(message.toString());
    }

    /** The value as a report may show it: a secret only as its length, any password inside a value masked. */
    String shown(String key, String value) {
        if (secret.test(key)) {
            return "(secret, " + value.length() + " characters)";
        }
        return "'" + SecretMasking.mask(value) + "'";
    }

    static String name(String key) {
        return key + " (" + SettingException.environmentVariable(key) + ")";
    }
}
