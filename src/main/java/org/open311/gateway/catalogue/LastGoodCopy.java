package org.open311.gateway.catalogue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A copy of the last mapping files that went into service ({@code gateway.mappings.last-good-dir}),
 * so that a refused edit left in {@code mappings/} does not stop a restart: the gateway starts from the
 * copy and shows the refusal instead. Each version is kept in a directory named after it, and the file
 * {@code current} names the one in service; both are written by atomic moves, so a crash mid-save
 * leaves the previous copy whole.
 */
public final class LastGoodCopy {

    private static final Logger LOG = LoggerFactory.getLogger(LastGoodCopy.class);
    private static final String CURRENT = "current";

    private final Path directory;

    private LastGoodCopy(Path directory) {
        this.directory = directory;
    }

    /** No copy is kept: a refused edit on disk stops the start. */
    public static LastGoodCopy none() {
        return new LastGoodCopy(null);
    }

    public static LastGoodCopy in(Path directory) {
        return directory == null ? none() : new LastGoodCopy(directory);
    }

    /** Where the copy is kept, for messages ("none" when no copy is kept). */
    public String where() {
        return directory == null ? "empty, so no copy is kept" : directory.toAbsolutePath().normalize().toString();
    }

    /** A copy that could be read and is still valid. */
    public record Saved(Catalogue catalogue, Instant savedAt) {
    }

    /**
     * Keeps the files of a catalogue that went into service. A failure (read-only disk, full disk) is
     * logged and never stops the gateway: it only means a later start has no copy to fall back on.
     */
    void save(CatalogueLoader.Snapshot snapshot) {
        if (directory == null || snapshot.fingerprint().equals(currentVersion().orElse(null))) {
            return;
        }
        try {
            Files.createDirectories(directory);
            Path version = directory.resolve(snapshot.fingerprint());
            if (!Files.isDirectory(version)) {
                Path staging = Files.createDirectory(directory.resolve(".staging-" + UUID.randomUUID()));
                Files.write(staging.resolve(CatalogueValidator.SERVICES_FILE), snapshot.services());
                Files.write(staging.resolve(CatalogueValidator.STATUSES_FILE), snapshot.statuses());
                moveInPlace(staging, version);
            }
            Path pointer = directory.resolve(".current-" + UUID.randomUUID());
            Files.writeString(pointer, snapshot.fingerprint(), StandardCharsets.US_ASCII);
            Files.move(pointer, directory.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            removeAllBut(snapshot.fingerprint());
            LOG.info("Mappings version {} kept as the last good copy in {}", snapshot.fingerprint(), where());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not keep mappings version {} as the last good copy in {} ({}: {}): a restart while an edit is"
                            + " refused would not start", snapshot.fingerprint(), where(), e.getClass().getSimpleName(), e.getMessage());
        }
    }

    /** The copy, read and validated again; empty when there is none or it cannot be used (why is logged). */
    public Optional<Saved> load() {
        Optional<String> version = currentVersion();
        if (version.isEmpty()) {
            return Optional.empty();
        }
        try {
            CatalogueLoader.Snapshot snapshot = CatalogueLoader.read(directory.resolve(version.get()));
            if (!snapshot.fingerprint().equals(version.get())) {
                LOG.error("The last good copy of the mappings in {} was changed on disk (version {} expected): not used", where(), version.get());
                return Optional.empty();
            }
            Instant savedAt = Files.getLastModifiedTime(directory.resolve(CURRENT)).toInstant();
            return Optional.of(new Saved(CatalogueLoader.parse(snapshot), savedAt));
        } catch (MappingException | IOException e) {
            LOG.error("The last good copy of the mappings in {} cannot be used: {}", where(), e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<String> currentVersion() {
        if (directory == null) {
            return Optional.empty();
        }
        try {
            String version = Files.readString(directory.resolve(CURRENT), StandardCharsets.US_ASCII).trim();
            return version.matches("[0-9a-f]{12}") ? Optional.of(version) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Another instance sharing the directory may have put the same version there first: its copy is the same. */
    private static void moveInPlace(Path staging, Path version) throws IOException {
        try {
            Files.move(staging, version, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isDirectory(version)) {
                throw e;
            }
            deleteTree(staging);
        }
    }

    private void removeAllBut(String keep) throws IOException {
        List<Path> others;
        try (Stream<Path> entries = Files.list(directory)) {
            others = entries.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().equals(keep))
                    .filter(p -> p.getFileName().toString().matches("[0-9a-f]{12}")).toList();
        }
        for (Path other : others) {
            deleteTree(other);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
