package org.open311.gateway;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state routes carry between steps in exchange properties is named once: each {@code open311.*} property
 * by one constant of the class that owns it, the Java steps use the constant, and a route's
 * {@code ${exchangeProperty.NAME}} names a declared property. A typo then fails here or at compile time
 * instead of silently reading null.
 */
class ExchangePropertiesTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path ROUTES = Path.of("routes");
    private static final Pattern DECLARED = Pattern.compile("\\bString ([A-Z_]+) = \"(open311\\.[A-Za-z.]+)\";");
    private static final Pattern LITERAL_USE = Pattern.compile("(?:get|set|remove)Property\\(\\s*\"(open311\\.[^\"]*)\"");
    private static final Pattern ROUTE_USE = Pattern.compile("exchangeProperty[.:]([A-Za-z0-9_.]+)");

    @Test
    void eachPropertyIsDeclaredByOneConstant() {
        Map<String, List<String>> owners = new HashMap<>();
        forEachFile(SOURCES, ".java", (file, text) -> {
            Matcher declared = DECLARED.matcher(text);
            while (declared.find()) {
                owners.computeIfAbsent(declared.group(2), name -> new ArrayList<>())
                        .add(file.getFileName() + " " + declared.group(1));
            }
        });

        assertThat(owners).as("exchange properties").isNotEmpty();
        assertThat(owners).allSatisfy((name, declarations) ->
                assertThat(declarations).as("constants naming %s", name).hasSize(1));
    }

    @Test
    void javaStepsUseTheConstants() {
        List<String> literals = new ArrayList<>();
        forEachFile(SOURCES, ".java", (file, text) -> {
            Matcher literal = LITERAL_USE.matcher(text);
            while (literal.find()) {
                literals.add(file.getFileName() + ": " + literal.group(1));
            }
        });

        assertThat(literals).as("properties named by a literal instead of their constant").isEmpty();
    }

    @Test
    void routesReadOnlyDeclaredProperties() {
        Set<String> declared = new TreeSet<>();
        forEachFile(SOURCES, ".java", (file, text) -> DECLARED.matcher(text).results().forEach(m -> declared.add(m.group(2))));
        Set<String> read = new TreeSet<>();
        forEachFile(ROUTES, ".yaml", (file, text) -> ROUTE_USE.matcher(text).results().forEach(m -> read.add(m.group(1))));

        assertThat(read).as("properties the routes read").isNotEmpty();
        assertThat(declared).as("declared exchange properties").containsAll(read);
    }

    private interface FileText {
        void accept(Path file, String text);
    }

    private static void forEachFile(Path root, String suffix, FileText action) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(suffix)).toList()) {
                action.accept(file, Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
