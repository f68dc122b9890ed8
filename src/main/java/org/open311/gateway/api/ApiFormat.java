package org.open311.gateway.api;

import java.util.Locale;

/** The answer formats, chosen by the path suffix only (never by Accept, which real clients misspell). */
public enum ApiFormat {
    JSON("application/json; charset=utf-8"),
    XML("text/xml; charset=utf-8");

    private final String contentType;

    ApiFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    public String suffix() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format a path suffix asks for; anything but json or xml is the client's error. */
    public static ApiFormat fromSuffix(String suffix) {
        if ("json".equals(suffix)) {
            return JSON;
        }
        if ("xml".equals(suffix)) {
            return XML;
        }
        throw ApiException.badRequest("Unsupported format '" + ApiException.quoteSafe(suffix)
                + "': ask for .json or .xml");
    }

    /** For answering errors on any path: XML if the path ends in .xml, JSON otherwise. */
    public static ApiFormat ofPath(String path) {
        return path != null && path.toLowerCase(Locale.ROOT).endsWith(".xml") ? XML : JSON;
    }
}
