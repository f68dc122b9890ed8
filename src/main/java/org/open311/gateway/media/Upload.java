package org.open311.gateway.media;

import java.nio.file.Path;

/** One file a client uploaded in a multipart POST, as the HTTP server saved it to a temporary file. */
public record Upload(String field, String fileName, Path file, long size) {
}
