package org.open311.gateway.limits;

import io.vertx.core.http.HttpMethod;

import java.util.Locale;

/**
 * How large a request body each endpoint accepts: the one table of body limits, applied by
 * {@link HttpGuard} before a byte of the body is read (a declared length over it is 413 at once, a
 * streamed body is cut off as it passes it). Only a multipart post of a service request, with its photos,
 * may use the server's whole limit ({@code camel.server.max-body-size}); every other body is small, so
 * nobody can make the gateway read, hold or hash megabytes where it expects a form or a short JSON change.
 *
 * <ul>
 * <li>{@code POST {base}/requests.{format}} as multipart/form-data: the server's limit;</li>
 * <li>{@code POST {base}/requests.{format}} otherwise (the urlencoded form): {@code gateway.http.max-form-body-bytes};</li>
 * <li>{@code POST {base}/servicerequestupdates.{format}}: as a service request (a resident's update may carry photos);</li>
 * <li>{@code POST {base}/backend/{backend}/notifications}: {@link #PUSH_BYTES};</li>
 * <li>{@code POST /admin/console/catalogue/check} (a pasted services.yaml): {@code gateway.http.max-form-body-bytes};</li>
 * <li>anything else (the admin API, a GET with a body, unknown paths and methods): {@link #OTHER_BYTES}.</li>
 * </ul>
 * No limit is larger than the server's.
 */
public final class BodyLimits {

    /** A back end's pushed change: one short JSON object (the notification contract's limit). */
    public static final long PUSH_BYTES = 256 * 1024;
    /** Endpoints that read no body at all (the admin API's POSTs, GETs): room for a client's stray body, no more. */
    static final long OTHER_BYTES = 64 * 1024;

    /** The web console's "check this draft": a pasted services.yaml, a urlencoded form like a request's. */
    static final String CONSOLE_DRAFT = "/admin/console/catalogue/check";

    private final String requestsPrefix;
    private final String updatesPrefix;
    private final String backendPrefix;
    private final long serverBytes;
    private final long formBytes;

    public BodyLimits(String basePath, long serverBytes, long formBytes) {
        if (serverBytes < 1 || formBytes < 1) {
            throw new IllegalArgumentException("Body limits must be positive");
        }
        this.requestsPrefix = basePath + "/requests.";
        this.updatesPrefix = basePath + "/servicerequestupdates.";
        this.backendPrefix = basePath + "/backend/";
        this.serverBytes = serverBytes;
        this.formBytes = Math.min(formBytes, serverBytes);
    }

    /** The server's own limit: the largest any request may send. */
    public long serverBytes() {
        return serverBytes;
    }

    /** The limit of a request's body, by method, (normalised) path and content type. */
    public long of(HttpMethod method, String path, String contentType) {
        if (HttpMethod.POST.equals(method) && path != null) {
            if (isOneSegmentAfter(path, requestsPrefix) || isOneSegmentAfter(path, updatesPrefix)) {
                return isMultipart(contentType) ? serverBytes : formBytes;
            }
            if (path.equals(CONSOLE_DRAFT)) {
                return formBytes;
            }
            if (path.startsWith(backendPrefix) && path.endsWith("/notifications")
                    && isOneSegmentAfter(path.substring(0, path.length() - "/notifications".length()), backendPrefix)) {
                return Math.min(PUSH_BYTES, serverBytes);
            }
        }
        return Math.min(OTHER_BYTES, serverBytes);
    }

    private static boolean isOneSegmentAfter(String path, String prefix) {
        return path.startsWith(prefix) && path.length() > prefix.length() && path.indexOf('/', prefix.length()) < 0;
    }

    private static boolean isMultipart(String contentType) {
        return contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }
}
