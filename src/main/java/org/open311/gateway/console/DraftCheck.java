package org.open311.gateway.console;

import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.catalogue.CatalogueLoader;
import org.open311.gateway.catalogue.CodesInUse;
import org.open311.gateway.catalogue.Language;
import org.open311.gateway.catalogue.MappingException;
import org.open311.gateway.catalogue.RequiredAttributes;
import org.open311.gateway.cli.CataloguePreview;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The console's "check this draft": a pasted services.yaml, read with the statuses.yaml on disk, checked
 * as {@code mappings validate --store --preview} checks files (the same loader, the same check against
 * the codes stored requests use, the same warnings and preview), without writing any file.
 */
public final class DraftCheck {

    /** Valid or not: every problem as {@code file:line:column: message}, warnings, and the CLI's preview. */
    public record Result(boolean valid, String summary, List<String> problems, List<String> warnings, String preview) {
    }

    private final Path mappingsDir;
    private final DataSource store;

    public DraftCheck(Path mappingsDir, DataSource store) {
        this.mappingsDir = mappingsDir;
        this.store = store;
    }

    public Result check(String servicesYaml, Language language) throws SQLException {
        byte[] statuses = CatalogueLoader.read(mappingsDir).statuses();
        Catalogue draft;
        try {
            draft = CatalogueLoader.parse(CatalogueLoader.of(servicesYaml.getBytes(StandardCharsets.UTF_8), statuses));
        } catch (MappingException e) {
            return new Result(false, "", e.problems(), List.of(), "");
        }
        List<String> deleted;
        try (Connection connection = store.getConnection()) {
            connection.setReadOnly(true);
            deleted = CodesInUse.missingFrom(draft, CodesInUse.requestsByCode(connection));
        }
        if (!deleted.isEmpty()) {
            return new Result(false, "", deleted, List.of(), "");
        }
        StringWriter preview = new StringWriter();
        try (PrintWriter out = new PrintWriter(preview)) {
            new CataloguePreview(draft).print(language, out);
        }
        String summary = "Valid: " + draft.size() + " services (" + draft.activeServices().size() + " active), version "
                + draft.version() + "; every service code stored requests use is in the files";
        return new Result(true, summary, List.of(), new ArrayList<>(RequiredAttributes.warnings(draft)), preview.toString());
    }
}
