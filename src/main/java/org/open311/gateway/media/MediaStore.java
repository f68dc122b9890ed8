package org.open311.gateway.media;

import org.open311.gateway.api.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Keeps uploaded images in a directory and serves them back at the gateway's own URL. Names are
 * random (the client's file name is never used for a path), so a stored name cannot traverse.
 */
public final class MediaStore {

    public static final String FIELD = "media";
    public static final String FIELD_ARRAY = "media[]";
    /** FixMyStreet's Open311 client uploads a report's photos as photo1, photo2, … (open311-adapter reads any name). */
    private static final Pattern PHOTO_FIELD = Pattern.compile("photo[1-9][0-9]?");
    private static final Pattern STORED_NAME = Pattern.compile("[0-9a-f]{32}\\.(jpg|png|gif|webp)");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = LoggerFactory.getLogger(MediaStore.class);
    /** Random bytes of a stored name, written in hex. */
    private static final int NAME_BYTES = 16;

    private final Path directory;
    private final String publicBaseUrl;
    private final int maxFiles;
    private final long maxFileBytes;

    public MediaStore(Path directory, String publicBaseUrl, int maxFiles, long maxFileBytes) {
        this.directory = directory;
        this.publicBaseUrl = publicBaseUrl;
        this.maxFiles = maxFiles;
        this.maxFileBytes = maxFileBytes;
    }

    /** The number of files a request may carry. */
    public int maxFiles() {
        return maxFiles;
    }

    /** The length of the longest URL {@link #keep} gives a file: the public URL, /media/ and a stored name. */
    public int uploadUrlLength() {
        int longestExtension = Arrays.stream(MediaType.values()).mapToInt(type -> type.extension().length()).max().orElse(0);
        return (publicBaseUrl + "/media/").length() + NAME_BYTES * 2 + 1 + longestExtension;
    }

    /** A file checked and ready to keep. */
    public record Checked(Upload upload, MediaType type) {
    }

    /** Checks every upload; problems are named by field so the API lists them with the rest. */
    public List<Checked> check(List<Upload> uploads, List<String> problems) {
        List<Checked> accepted = new ArrayList<>();
        List<Upload> media = uploads.stream().filter(u -> isMediaField(u.field())).toList();
        uploads.stream().filter(u -> !media.contains(u)).forEach(u -> problems.add(ApiException.quoteSafe(u.field())
                + ": files are accepted only in field media, media[] or photo1, photo2, …"));
        if (media.size() > maxFiles) {
            problems.add("media: at most " + maxFiles + " files");
            return accepted;
        }
        for (Upload upload : media) {
            String name = ApiException.quoteSafe(upload.fileName());
            if (upload.size() > maxFileBytes) {
                problems.add("media: '" + name + "' is larger than " + (maxFileBytes / (1024 * 1024)) + " MB");
                continue;
            }
            Optional<MediaType> type = MediaType.sniff(head(upload.file()));
            if (type.isEmpty()) {
                problems.add("media: '" + name + "' is not a JPEG, PNG, GIF or WebP image");
                continue;
            }
            Optional<String> problem = ImageCheck.problem(upload.file(), type.get()).or(() -> unclean(upload.file(), type.get()));
            if (problem.isPresent()) {
                problems.add("media: '" + name + "' " + problem.get());
                continue;
            }
            accepted.add(new Checked(upload, type.get()));
        }
        return accepted;
    }

    /** The fields files may come in; every file of them counts against the same limits. */
    static boolean isMediaField(String field) {
        return field.equals(FIELD) || field.equals(FIELD_ARRAY) || PHOTO_FIELD.matcher(field).matches();
    }

    /** Whether the image's structure is whole up to its end, so that {@link ImageCleaner} can keep the image alone. */
    private static Optional<String> unclean(Path file, MediaType type) {
        try {
            ImageCleaner.check(Files.readAllBytes(file), type);
            return Optional.empty();
        } catch (ImageCleaner.BrokenImage e) {
            return Optional.of("is not a readable " + type.name() + " image");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read an uploaded file", e);
        }
    }

    /**
     * Keeps the checked files, each cleaned of everything but the image (no metadata, nothing appended:
     * {@link ImageCleaner}), and returns their public URLs, in order. A file appears under its name complete.
     */
    public List<String> keep(List<Checked> files) {
        List<String> urls = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            for (Checked file : files) {
                byte[] random = new byte[NAME_BYTES];
                RANDOM.nextBytes(random);
                String name = HexFormat.of().formatHex(random) + "." + file.type().extension();
                Path partial = directory.resolve(name + ".partial");
                Files.write(partial, ImageCleaner.clean(Files.readAllBytes(file.upload().file()), file.type()));
                Files.move(partial, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                urls.add(publicBaseUrl + "/media/" + name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep an uploaded file", e);
        }
        return urls;
    }

    /** A stored file, for GET media/{name}: its bytes, content type and (random, safe) name. */
    public record StoredFile(byte[] bytes, String contentType, String name) {
    }

    /**
     * A stored file, cleaned again as it is served: files kept before uploads were cleaned (with their EXIF,
     * or bytes after the image) are served clean too; one that cannot be is not served.
     */
    public StoredFile read(String name) {
        if (name == null || !STORED_NAME.matcher(name).matches()) {
            throw ApiException.notFound("media: no such file");
        }
        Path file = directory.resolve(name);
        MediaType type = MediaType.ofExtension(name.substring(name.lastIndexOf('.') + 1)).orElseThrow();
        try {
            return new StoredFile(ImageCleaner.clean(Files.readAllBytes(file), type), type.contentType(), name);
        } catch (NoSuchFileException e) {
            throw ApiException.notFound("media: no such file");
        } catch (ImageCleaner.BrokenImage e) {
            LOG.warn("Stored media file {} is not a whole {} image ({}): not served", name, type.name(), e.getMessage());
            throw ApiException.notFound("media: no such file");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(16);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read an uploaded file", e);
        }
    }
}
