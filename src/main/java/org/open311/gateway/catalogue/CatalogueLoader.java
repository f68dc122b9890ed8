package org.open311.gateway.catalogue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Loads and validates the mapping files of one directory into a {@link Catalogue}. */
public final class CatalogueLoader {

    /** The mapping files one directory holds, in the order they are read. */
    public static final List<String> FILES = List.of(CatalogueValidator.SERVICES_FILE, CatalogueValidator.STATUSES_FILE);

    private CatalogueLoader() {
    }

    /** The files' content as read now, with its fingerprint: cheap enough to poll. */
    public record Snapshot(byte[] services, byte[] statuses, String fingerprint) {
    }

    public static Snapshot read(Path directory) {
        byte[] services = readFile(directory, CatalogueValidator.SERVICES_FILE);
        byte[] statuses = readFile(directory, CatalogueValidator.STATUSES_FILE);
        return new Snapshot(services, statuses, fingerprint(services, statuses));
    }

    /** Files' content given, not read (a draft pasted into the web console), with its fingerprint. */
    public static Snapshot of(byte[] services, byte[] statuses) {
        return new Snapshot(services, statuses, fingerprint(services, statuses));
    }

    /** Loads the directory's mappings or throws a {@link MappingException} listing every problem. */
    public static Catalogue load(Path directory) {
        return parse(read(directory));
    }

    /**
     * Both files' YAML and schema problems are listed together; what only Java can check (references,
     * uniqueness) once both fit their schema.
     */
    public static Catalogue parse(Snapshot snapshot) {
        MappingFileReader.Read<ServicesFile> services = MappingFileReader.read(CatalogueValidator.SERVICES_FILE,
                snapshot.services(), ServicesFile.class);
        MappingFileReader.Read<StatusesFile> statuses = MappingFileReader.read(CatalogueValidator.STATUSES_FILE,
                snapshot.statuses(), StatusesFile.class);
        List<String> problems = new ArrayList<>(services.problems());
        problems.addAll(statuses.problems());
        if (!problems.isEmpty()) {
            throw new MappingException(problems);
        }
        Map<String, YamlTree> trees = Map.of(CatalogueValidator.SERVICES_FILE, services.tree(),
                CatalogueValidator.STATUSES_FILE, statuses.tree());
        CatalogueValidator.validate(services.content(), statuses.content())
                .forEach(problem -> problems.add(FilePlace.locate(problem, trees)));
        if (!problems.isEmpty()) {
            throw new MappingException(problems);
        }
        ServicesFile file = services.content();
        return new Catalogue(snapshot.fingerprint(), Instant.now(), file.services(),
                file.groups() == null ? Map.of() : file.groups(), vocabulary(statuses.content()));
    }

    private static StatusVocabulary vocabulary(StatusesFile file) {
        if (file.open311() == null) {
            return new StatusVocabulary(
                    toDetailed(file.crm().states()), DetailedStatus.parse(file.crm().unknownState()).orElseThrow(),
                    toDetailed(file.aspa().states()), DetailedStatus.parse(file.aspa().unknownState()).orElseThrow());
        }
        return new StatusVocabulary(
                toDetailed(file.crm().states()), DetailedStatus.parse(file.crm().unknownState()).orElseThrow(),
                toDetailed(file.aspa().states()), DetailedStatus.parse(file.aspa().unknownState()).orElseThrow(),
                toDetailed(file.open311().states()), DetailedStatus.parse(file.open311().unknownState()).orElseThrow());
    }

    private static Map<String, DetailedStatus> toDetailed(Map<String, String> states) {
        return states.entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey, e -> DetailedStatus.parse(e.getValue()).orElseThrow()));
    }

    private static byte[] readFile(Path directory, String name) {
        Path file = directory.resolve(name);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new MappingException(List.of(name + ": cannot be read from " + directory.toAbsolutePath()
                    + " (" + e.getClass().getSimpleName() + ")"));
        }
    }

    private static String fingerprint(byte[] services, byte[] statuses) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(services);
            digest.update((byte) 0);
            digest.update(statuses);
            return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
