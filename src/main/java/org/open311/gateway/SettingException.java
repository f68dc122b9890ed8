package org.open311.gateway;

/** A setting the operator must give is missing or unusable: the start stops with a message saying which. */
public final class SettingException extends RuntimeException {

    public SettingException(String message) {
        super(message);
    }

    /** The environment variable that sets this key, e.g. GATEWAY_CRM_URL for gateway.crm.url. */
    public static String environmentVariable(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public static SettingException missing(String key) {
        return new SettingException("Missing setting " + key + " (environment variable " + environmentVariable(key) + ")");
    }
}
