package org.open311.gateway.catalogue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The catalogue in service. Loaded at start-up, then polled: an edited, valid set of files is swapped in
 * atomically; an invalid edit is refused and the last good catalogue stays in service. Polling (rather
 * than file-system events) also sees edits made through symlink swaps, network file systems and
 * container config mounts.
 *
 * <p>A refusal is kept for operators (metrics, health, admin API), not only logged. Every catalogue that
 * goes into service is also kept as the {@link LastGoodCopy}, so a start with a refused edit on disk
 * starts from that copy (with the refusal shown) instead of failing; only a start with neither valid
 * files nor a copy fails.
 */
public final class LiveCatalogue {

    private static final Logger LOG = LoggerFactory.getLogger(LiveCatalogue.class);
    /** The version of a refused edit whose files could not even be read. */
    private static final String UNREADABLE = "unreadable";

    /** Where the catalogue in service was read from. */
    public enum Source {
        FILES, LAST_GOOD_COPY;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A refused edit.
     *
     * @param version  the hash of the refused files (as versions are), or "unreadable"
     * @param at       when it was first refused
     * @param problems every problem, each naming the file, line and column, entry and field
     */
    public record Refusal(String version, Instant at, List<String> problems) {
        public Refusal {
            problems = List.copyOf(problems);
        }
    }

    private final Path directory;
    private final LastGoodCopy lastGood;
    private final CatalogueCheck check;
    private final AtomicReference<Catalogue> current = new AtomicReference<>();
    private final AtomicLong refusals = new AtomicLong();
    private final List<Runnable> replacedListeners = new CopyOnWriteArrayList<>();
    private volatile Source source = Source.FILES;
    private volatile Refusal lastRefusal;
    /** The version of the refused files while they are on disk; null when the files on disk are in service. */
    private volatile String refusedOnDisk;
    /** An edit whose check could not be made (store down): tried again at the next look, logged once. */
    private String unchecked;

    /** The files of {@code directory} only: no copy, no check against stored requests (the command line's preview). */
    public LiveCatalogue(Path directory) {
        this(directory, LastGoodCopy.none(), CatalogueCheck.NONE);
    }

    /**
     * @throws MappingException when the files are refused and there is no usable last good copy either
     */
    public LiveCatalogue(Path directory, LastGoodCopy lastGood, CatalogueCheck check) {
        this.directory = directory;
        this.lastGood = lastGood;
        this.check = check;
        CatalogueLoader.Snapshot snapshot;
        try {
            snapshot = CatalogueLoader.read(directory);
        } catch (MappingException unreadable) {
            startFromLastGoodCopy(UNREADABLE, unreadable);
            return;
        }
        try {
            Catalogue first = accept(null, snapshot);
            current.set(first);
            lastGood.save(snapshot);
            LOG.info("Mappings loaded from {}: version {}, {} services", directory.toAbsolutePath(), first.version(), first.size());
        } catch (MappingException refused) {
            startFromLastGoodCopy(snapshot.fingerprint(), refused);
        }
    }

    public Catalogue current() {
        return current.get();
    }

    public Source source() {
        return source;
    }

    /** The refused edit while it is still on disk (the catalogue in service is older than the files). */
    public Optional<Refusal> refusedEdit() {
        Refusal refusal = lastRefusal;
        return refusedOnDisk != null && refusal != null ? Optional.of(refusal) : Optional.empty();
    }

    /** The last refused edit, kept after the files were fixed. */
    public Optional<Refusal> lastRefusal() {
        return Optional.ofNullable(lastRefusal);
    }

    /** How many edits were refused since the start (each refused version once, a refusal at start included). */
    public long refusals() {
        return refusals.get();
    }

    /** Runs after each swap of the catalogue in service, and when its source changes. */
    public void whenReplaced(Runnable listener) {
        replacedListeners.add(listener);
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
            refuse(UNREADABLE, e.problems());
            return false;
        }
        String fingerprint = snapshot.fingerprint();
        Catalogue inService = current.get();
        if (fingerprint.equals(inService.version())) {
            refusedOnDisk = null; // the files are (again) the version in service
            if (source != Source.FILES) {
                source = Source.FILES;
                replacedListeners.forEach(Runnable::run);
            }
            return false;
        }
        if (fingerprint.equals(refusedOnDisk)) {
            return false;
        }
        try {
            Catalogue next = accept(inService, snapshot);
            current.set(next);
            source = Source.FILES;
            refusedOnDisk = null;
            unchecked = null;
            lastGood.save(snapshot);
            LOG.info("Mappings reloaded: version {}, {} services", next.version(), next.size());
            replacedListeners.forEach(Runnable::run);
            return true;
        } catch (MappingException e) {
            refuse(fingerprint, e.problems());
            return false;
        } catch (CatalogueCheck.Unavailable e) {
            if (!fingerprint.equals(unchecked)) {
                LOG.warn("Edited mappings (version {}) not put into service yet: {}; tried again at the next look", fingerprint, e.getMessage());
            }
            unchecked = fingerprint;
            return false;
        }
    }

    private Catalogue accept(Catalogue inService, CatalogueLoader.Snapshot snapshot) {
        Catalogue next = CatalogueLoader.parse(snapshot);
        List<String> problems = check.problems(inService, next);
        if (!problems.isEmpty()) {
            throw new MappingException(problems);
        }
        return next;
    }

    private void startFromLastGoodCopy(String refusedVersion, MappingException refused) {
        LastGoodCopy.Saved saved = lastGood.load().orElseThrow(() -> {
            List<String> problems = new ArrayList<>(refused.problems());
            problems.add("no last good copy to start from (gateway.mappings.last-good-dir: " + lastGood.where()
                    + "): fix " + String.join(" and ", CatalogueLoader.FILES) + " in " + directory.toAbsolutePath().normalize());
            return new MappingException(problems);
        });
        current.set(saved.catalogue());
        source = Source.LAST_GOOD_COPY;
        recordRefusal(refusedVersion, refused.problems());
        LOG.error("MAPPINGS REFUSED: the files in {} are invalid, so the gateway started from the last good copy, version {}"
                        + " (kept {} in {}). Clients see that version until the files are fixed. {}", directory.toAbsolutePath(),
                saved.catalogue().version(), saved.savedAt(), lastGood.where(), refused.getMessage());
    }

    private void refuse(String version, List<String> problems) {
        if (version.equals(refusedOnDisk)) {
            return;
        }
        recordRefusal(version, problems);
        LOG.error("Edited mappings refused, version {} stays in service. {}", current.get().version(), new MappingException(problems).getMessage());
    }

    private void recordRefusal(String version, List<String> problems) {
        lastRefusal = new Refusal(version, Instant.now(), problems);
        refusedOnDisk = version;
        refusals.incrementAndGet();
    }
}
