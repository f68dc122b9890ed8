package org.open311.gateway.observe;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.CamelContextHelper;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which settings are secret, and their values handed to {@link SecretMasking} before anything can log
 * them. A setting is secret when Camel deems its name sensitive (its own list: password, token, api-key,
 * secret, … and {@code camel.main.additional-sensitive-keywords}), as Camel's start-up summary does;
 * user names are not secrets. A password written into any setting's URL ({@code password=…} or
 * {@code scheme://user:password@host}) is a secret too.
 */
public final class SecretSettings {

    /** Names Camel deems sensitive but that are no secret, and too common a value to mask (sa, postgres). */
    private static final Set<String> NOT_SECRET = Set.of("user", "username");
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)password=([^&;\\s]+)");
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("://[^/@\\s:]*:([^/@\\s]+)@");

    private SecretSettings() {
    }

    /**
     * Registers the value of each secret setting as Camel resolves it (Camel tells its lookup listeners
     * before it logs the value), and resolves the secret ones known now, so that they are masked from the start.
     */
    public static void watch(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        properties.addPropertiesLookupListener((name, value, defaultValue, source) -> secretsOf(context, name, value)
                .forEach(SecretMasking::register));
        // entrySet: the map Camel returns keeps its entries apart from Hashtable's, which forEach would walk
        for (Map.Entry<String, Object> setting : properties.loadPropertiesAsMap().entrySet()) {
            String key = setting.getKey();
            if (isSecret(context, key) || !credentialsIn(String.valueOf(setting.getValue())).isEmpty()) {
                try {
                    properties.resolveProperty(key);
                } catch (IllegalArgumentException unresolvable) {
                    // a placeholder without a value: the setting's own reader reports it
                }
            }
        }
    }

    /** The values to mask for one setting: a secret's whole value and each of its comma-separated entries, and any URL password. */
    static List<String> secretsOf(CamelContext context, String key, String value) {
        List<String> secrets = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return secrets;
        }
        if (isSecret(context, key)) {
            secrets.add(value.trim());
            for (String entry : value.split(",")) {
                secrets.add(entry.trim());
            }
        }
        secrets.addAll(credentialsIn(value));
        return secrets;
    }

    public static boolean isSecret(CamelContext context, String key) {
        String name = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT).replace("-", "");
        return !NOT_SECRET.contains(name) && CamelContextHelper.containsSensitive(context, key);
    }

    /** Passwords written into a URL: {@code password=…} parameters (PostgreSQL, H2) and {@code user:password@host}. */
    static List<String> credentialsIn(String value) {
        List<String> passwords = new ArrayList<>();
        for (Pattern pattern : List.of(URL_PASSWORD, USERINFO_PASSWORD)) {
            Matcher matcher = pattern.matcher(value);
            while (matcher.find()) {
                passwords.add(matcher.group(1));
            }
        }
        return passwords;
    }
}
