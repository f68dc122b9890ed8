package org.open311.gateway.media;

import io.vertx.core.Handler;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands every uploaded file of a multipart request to the route. Camel 4.18 keeps attachments in a map
 * keyed by field name, so several files in {@code media[]} would collapse into one; this Vert.x handler
 * runs after the body is parsed and before Camel, keeps the full list under a random reference, and
 * passes only that reference on in a header (any client-sent header of that name is dropped first).
 */
public final class UploadCapture implements Handler<RoutingContext> {

    public static final String REFERENCE_HEADER = "X-Open311-Upload-Reference";

    private final Map<String, List<Upload>> pending = new ConcurrentHashMap<>();

    @Override
    public void handle(RoutingContext context) {
        context.request().headers().remove(REFERENCE_HEADER);
        List<FileUpload> files = context.fileUploads();
        if (!files.isEmpty()) {
            String reference = UUID.randomUUID().toString();
            pending.put(reference, files.stream()
                    .map(f -> new Upload(f.name(), f.fileName(), Path.of(f.uploadedFileName()), f.size()))
                    .toList());
            context.request().headers().set(REFERENCE_HEADER, reference);
            context.addEndHandler(done -> pending.remove(reference));
        }
        context.next();
    }

    /** The uploads of the request with this reference (none for a form without files). */
    public List<Upload> take(String reference) {
        if (reference == null) {
            return List.of();
        }
        List<Upload> uploads = pending.remove(reference);
        return uploads == null ? List.of() : uploads;
    }
}
