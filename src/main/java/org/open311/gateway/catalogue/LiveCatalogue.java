package org.open311.gateway.catalogue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The catalogue in service. Loaded at start-up (an invalid file stops the start), then polled: an edited,
 * valid set of files is swapped in atomically; an invalid edit is refused, logged, and the last good
 * catalogue stays in service. Polling (rather than file-system events) also sees edits made through
 * symlink swaps, network file systems and container config mounts.
 */
public final class LiveCatalogue {

    private static final Logger LOG = LoggerFactory.getLogger(LiveCatalogue.class);

    private final Path directory;
    private final AtomicReference<Catalogue> current = new AtomicReference<>();
    private volatile String refusedFingerprint;
    private volatile String lastRefusal;

    public LiveCatalogue(Path directory) {
        this.directory = directory;
        Catalogue first = CatalogueLoader.load(directory);
        current.set(first);
        LOG.info("Mappings loaded from {}: version {}, {} services", directory.toAbsolutePath(), first.version(), first.size());
    }

    public Catalogue current() {
        return current.get();
    }

    /** Why the last edit was refused, while that edit is still on disk. */
    public Optional<String> lastRefusal() {
        return Optional.ofNullable(lastRefusal);
    }

    /**
     * Swaps in the files on disk if they changed and are valid.
     *
     * @return true if a new catalogue went into service
     */
    public synchronized boolean reloadIfChanged() {
        CatalogueLoader.Snapshot snapshot;
        try {
            snapshot = CatalogueLoader.read(directory);
        } catch (MappingException e) {
            refuse(e.getMessage(), "unreadable");
            return false;
        }
        String fingerprint = snapshot.fingerprint();
        if (fingerprint.equals(current.get().version()) || fingerprint.equals(refusedFingerprint)) {
            if (fingerprint.equals(current.get().version())) {
                lastRefusal = null;
            }
            return false;
        }
        try {
            Catalogue next = CatalogueLoader.parse(snapshot);
            current.set(next);
            refusedFingerprint = null;
            lastRefusal = null;
            LOG.info("Mappings reloaded: version {}, {} services", next.version(), next.size());
            return true;
        } catch (MappingException e) {
            refuse(e.getMessage(), fingerprint);
            return false;
        }
    }

    private void refuse(String message, String fingerprint) {
        if (!fingerprint.equals(refusedFingerprint)) {
            LOG.error("Edited mappings refused, version {} stays in service. {}", current.get().version(), message);
        }
        refusedFingerprint = fingerprint;
        lastRefusal = message;
    }
}
