package org.open311.gateway.observe;

import org.apache.camel.spi.PropertiesComponent;
import org.open311.gateway.SettingException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Secrets from files, as container platforms mount them: for every secret setting, an environment
 * variable named like the setting's own with {@code _FILE} appended ({@code GATEWAY_DB_PASSWORD_FILE=/run/secrets/db})
 * gives the path of a file holding the value (one trailing line break is dropped). The value is
 * registered with {@link SecretMasking} before anything can log it, like every other secret.
 */
public final class SecretFiles {

    public static final String SUFFIX = "_FILE";

    private SecretFiles() {
    }

    /**
     * Sets each secret given by file as an override of the setting; returns the problems (unreadable
     * file, or both the variable and its {@code _FILE} set), each naming the setting.
     */
    public static List<String> apply(PropertiesComponent properties, Map<String, String> environment, Predicate<String> secret) {
        List<String> problems = new ArrayList<>();
        for (String key : properties.loadPropertiesAsMap().keySet().stream().map(String::valueOf).sorted().toList()) {
            String variable = SettingException.environmentVariable(key);
            String file = environment.get(variable + SUFFIX);
            if (!secret.test(key) || file == null || file.isBlank()) {
                continue;
            }
            String name = key + " (" + variable + SUFFIX + ")";
            if (environment.containsKey(variable)) {
                problems.add(name + ": both " + variable + " and " + variable + SUFFIX + " are set: expected one of them");
                continue;
            }
            try {
                String value = withoutLineBreak(Files.readString(Path.of(file.trim()), StandardCharsets.UTF_8));
                SecretMasking.register(value);
                properties.addOverrideProperty(key, value);
            } catch (IOException | RuntimeException e) {
                problems.add(name + " = '" + file.trim() + "': expected a readable file holding the secret ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        return problems;
    }

    /** Files written by editors and `echo` end in a line break that is no part of the secret. */
    static String withoutLineBreak(String content) {
        if (content.endsWith("\r\n")) {
            return content.substring(0, content.length() - 2);
        }
        return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
    }
}
