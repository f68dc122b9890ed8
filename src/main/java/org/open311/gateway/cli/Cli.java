package org.open311.gateway.cli;

import org.open311.gateway.SettingsFiles;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.open311.gateway.GatewaySettings;
import org.open311.gateway.SettingsReader;
import org.open311.gateway.observe.SecretFiles;
import org.open311.gateway.observe.SecretSettings;
import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.catalogue.CatalogueLoader;
import org.open311.gateway.catalogue.CodesInUse;
import org.open311.gateway.catalogue.Language;
import org.open311.gateway.catalogue.LiveCatalogue;
import org.open311.gateway.catalogue.RequiredAttributes;
import org.open311.gateway.catalogue.MappingException;
import org.open311.gateway.importer.ImportItemReader;
import org.open311.gateway.importer.ImportReport;
import org.open311.gateway.importer.RequestImporter;
import org.open311.gateway.store.ApiKeyAdmin;
import org.open311.gateway.store.Database;
import org.open311.gateway.store.DeadLetters;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The gateway's command line, in the same jar: {@code java -jar target/open311-gateway.jar keys add --name "City app"}.
 * Settings come from application.properties and the environment, exactly as for the server.
 */
@Command(name = "open311-gateway", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Administer the Open311 gateway. Without a command, the gateway starts.",
        subcommands = {Cli.Keys.class, Cli.Db.class, Cli.Mappings.class, Cli.DeadLetterCommands.class,
                Cli.ImportCommand.class})
public final class Cli {

    /** Exit code of {@code import} when some items were rejected (the others were imported). */
    public static final int IMPORT_REJECTED_ITEMS = 3;

    /** The gateway's version, as Maven wrote it at build time ({@code --version}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws Exception {
            Properties build = new Properties();
            try (var in = Cli.class.getResourceAsStream("/gateway-version.properties")) {
                if (in != null) {
                    build.load(in);
                }
            }
            return new String[]{"open311-gateway " + build.getProperty("version", "unknown")};
        }
    }

    private final Properties overrides;

    private Cli(Properties overrides) {
        this.overrides = overrides;
    }

    /** Runs one command; the exit code is 0 on success, 1 on failure, 2 on a usage error. */
    public static int run(String[] args, Properties overrides, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new Cli(overrides));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("Failed: " + e.getMessage());
            return 1;
        });
        return commandLine.execute(args);
    }

    PropertiesComponent properties() {
        return context().getPropertiesComponent();
    }

    /** Camel's own properties resolution (placeholders, environment overrides, the profile) without starting a server. */
    private DefaultCamelContext context() {
        DefaultCamelContext context = new DefaultCamelContext(false);
        context.init();
        PropertiesComponent properties = context.getPropertiesComponent();
        // the server's files in the server's order: with the first match winning, the profile's (and the
        // operator's) settings must come before the embedded defaults
        String profile = SettingsFiles.profile(System.getenv());
        properties.setLocation(SettingsFiles.locations(profile, System.getenv()));
        if (!profile.isEmpty()) {
            context.getCamelContextExtension().setProfile(profile);
        }
        properties.setOverrideProperties(overrides);
        return context;
    }

    /** The store's settings as the server reads them (secrets from files too); every bad one reported at once. */
    Database.Settings databaseSettings() {
        DefaultCamelContext context = context();
        SettingsReader settings = new SettingsReader(context.getPropertiesComponent(),
                key -> SecretSettings.isSecret(context, key), context.getCamelContextExtension().getProfile());
        SecretFiles.apply(context.getPropertiesComponent(), System.getenv(), key -> SecretSettings.isSecret(context, key))
                .forEach(settings::problem);
        Database.Settings database = GatewaySettings.database(settings);
        settings.check();
        return database;
    }

    /**
     * The back ends an import's statuses belong to, by their configured names: the first of gateway.backends
     * whose kind decides the status, and the first that keeps work orders (gateway.backend.&lt;name&gt;.kind).
     */
    RequestImporter.Targets importTargets() {
        var properties = context().getPropertiesComponent();
        String deciding = null;
        String tasks = null;
        for (String name : properties.resolveProperty("gateway.backends").orElse("").split(",")) {
            String backend = name.trim();
            var kind = properties.resolveProperty("gateway.backend." + backend + ".kind").map(String::trim)
                    .flatMap(org.open311.gateway.backends.BackendKind::of).orElse(null);
            if (kind != null && kind.role() == org.open311.gateway.backends.StatusMerge.Role.DECIDES && deciding == null) {
                deciding = backend;
            } else if (kind != null && kind.role() == org.open311.gateway.backends.StatusMerge.Role.TASK && tasks == null) {
                tasks = backend;
            }
        }
        return new RequestImporter.Targets(deciding, tasks);
    }

    /** The store, on a schema that must be up to date: only {@code db migrate} changes the schema. */
    HikariDataSource openStore() {
        return Database.openCurrent(databaseSettings());
    }

    @Command(name = "keys", description = "Add, list and revoke API keys (stored only as hashes).",
            subcommands = {Keys.Add.class, Keys.ListKeys.class, Keys.Revoke.class})
    static final class Keys {
        @CommandLine.ParentCommand
        Cli cli;

        @Command(name = "add", description = "Create a key for a client; the key is shown this once only.")
        static final class Add implements Callable<Integer> {
            @CommandLine.ParentCommand
            Keys keys;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;
            @Option(names = "--name", required = true, description = "Who the key is for, e.g. \"Helsinki app (Acme Oy)\"")
            String name;

            @Override
            public Integer call() throws Exception {
                try (HikariDataSource store = keys.cli.openStore()) {
                    String key = new ApiKeyAdmin(store).add(name);
                    spec.commandLine().getOut().println("API key for " + name + " (shown only now, store it safely):");
                    spec.commandLine().getOut().println(key);
                    return 0;
                }
            }
        }

        @Command(name = "list", description = "List keys: id, name, created, revoked (never the keys themselves).")
        static final class ListKeys implements Callable<Integer> {
            @CommandLine.ParentCommand
            Keys keys;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() throws Exception {
                try (HikariDataSource store = keys.cli.openStore()) {
                    PrintWriter out = spec.commandLine().getOut();
                    out.printf("%-6s %-40s %-26s %s%n", "ID", "NAME", "CREATED", "REVOKED");
                    for (ApiKeyAdmin.KeyInfo key : new ApiKeyAdmin(store).list()) {
                        out.printf("%-6d %-40s %-26s %s%n", key.id(), key.name(), key.createdAt(),
                                key.revokedAt() == null ? "-" : key.revokedAt());
                    }
                    return 0;
                }
            }
        }

        @Command(name = "revoke", description = "Revoke a key by its id; posts with it are refused at once.")
        static final class Revoke implements Callable<Integer> {
            @CommandLine.ParentCommand
            Keys keys;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;
            @Parameters(paramLabel = "ID", description = "The id `keys list` shows")
            long id;

            @Override
            public Integer call() throws Exception {
                try (HikariDataSource store = keys.cli.openStore()) {
                    if (new ApiKeyAdmin(store).revoke(id)) {
                        spec.commandLine().getOut().println("Revoked key " + id);
                        return 0;
                    }
                    spec.commandLine().getErr().println("No active key with id " + id);
                    return 1;
                }
            }
        }
    }

    @Command(name = "dead-letters", description = "Requests a back end gave up on after its last retry.",
            subcommands = {DeadLetterCommands.ListDead.class, DeadLetterCommands.Retry.class,
                    DeadLetterCommands.Dismiss.class, DeadLetterCommands.ListDismissed.class})
    static final class DeadLetterCommands {
        @CommandLine.ParentCommand
        Cli cli;

        @Command(name = "list", description = "List dead letters: request id, back end, attempts, last error.")
        static final class ListDead implements Callable<Integer> {
            @CommandLine.ParentCommand
            DeadLetterCommands parent;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() throws Exception {
                try (HikariDataSource store = parent.cli.openStore()) {
                    PrintWriter out = spec.commandLine().getOut();
                    out.printf("%-22s %-6s %-8s %-9s %-26s %s%n", "REQUEST", "TO", "SERVICE", "ATTEMPTS", "REQUESTED", "LAST ERROR");
                    for (DeadLetters.DeadLetter dead : new DeadLetters(store).list()) {
                        out.printf("%-22s %-6s %-8s %-9d %-26s %s%n", dead.requestId(), dead.backend(), dead.serviceCode(),
                                dead.attempts(), dead.requestedAt(), (dead.updateId() == null || dead.updateId().isEmpty() ? ""
                                        : "update " + dead.updateId() + ": ") + dead.lastError());
                    }
                    return 0;
                }
            }
        }

        @Command(name = "retry", description = "Send dead letters again: one request, or --all.")
        static final class Retry implements Callable<Integer> {
            @CommandLine.ParentCommand
            DeadLetterCommands parent;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;
            @CommandLine.ArgGroup(multiplicity = "1")
            Which which;

            static final class Which {
                @Parameters(paramLabel = "REQUEST_ID", description = "The service_request_id to send again")
                String requestId;
                @Option(names = "--all", description = "Every dead letter")
                boolean all;
            }

            @Override
            public Integer call() throws Exception {
                try (HikariDataSource store = parent.cli.openStore()) {
                    int revived = new DeadLetters(store).retry(which.all ? null : which.requestId);
                    spec.commandLine().getOut().println("Scheduled again: " + revived);
                    return revived > 0 ? 0 : 1;
                }
            }
        }

        @Command(name = "dismiss", description = {"Dismiss a request's dead letters (the back end will never accept it):"
                + " they leave the list and the alert, and are kept with who, when and why (`dead-letters dismissed`).",
                "Exit 0 if dismissed, 1 if the request has no dead letter (for that back end)."})
        static final class Dismiss implements Callable<Integer> {
            @CommandLine.ParentCommand
            DeadLetterCommands parent;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;
            @Parameters(paramLabel = "REQUEST_ID", description = "The service_request_id to dismiss")
            String requestId;
            @Option(names = "--reason", required = true, description = "Why, for the audit, e.g. \"CRM refuses category 9; handled by phone\"")
            String reason;
            @Option(names = "--backend", paramLabel = "NAME", description = "Only this back end's dead letter (default: every back end where dead)")
            String backend;
            @Option(names = "--by", paramLabel = "WHO", description = "Who dismisses it (default: cli:<the OS user>)")
            String by;

            @Override
            public Integer call() throws Exception {
                try {
                    DeadLetters.checkedReason(reason);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--" + e.getMessage());
                }
                String who = by != null && !by.isBlank() ? by : "cli:" + System.getProperty("user.name", "unknown");
                try (HikariDataSource store = parent.cli.openStore()) {
                    int dismissed = new DeadLetters(store).dismiss(requestId, backend, who, reason);
                    if (dismissed == 0) {
                        spec.commandLine().getErr().println("No dead letter for request " + requestId
                                + (backend == null ? "" : " and back end " + backend));
                        return 1;
                    }
                    spec.commandLine().getOut().println("Dismissed: " + dismissed + " (by " + who + ")");
                    return 0;
                }
            }
        }

        @Command(name = "dismissed", description = "List dismissed dead letters for audit: who, when, why; latest first.")
        static final class ListDismissed implements Callable<Integer> {
            @CommandLine.ParentCommand
            DeadLetterCommands parent;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() throws Exception {
                try (HikariDataSource store = parent.cli.openStore()) {
                    PrintWriter out = spec.commandLine().getOut();
                    out.printf("%-22s %-6s %-8s %-9s %-34s %-20s %-14s %s%n", "REQUEST", "TO", "SERVICE", "ATTEMPTS",
                            "DISMISSED", "BY", "LAST ERROR", "REASON");
                    for (DeadLetters.Dismissed dismissed : new DeadLetters(store).dismissed()) {
                        out.printf("%-22s %-6s %-8s %-9d %-34s %-20s %-14s %s%n", dismissed.requestId(), dismissed.backend(),
                                dismissed.serviceCode(), dismissed.attempts(), dismissed.dismissedAt(), dismissed.dismissedBy(),
                                dismissed.lastError(), dismissed.reason());
                    }
                    return 0;
                }
            }
        }
    }

    @Command(name = "db", description = "The store's schema.", subcommands = {Db.Migrate.class, Db.Status.class})
    static final class Db {
        @CommandLine.ParentCommand
        Cli cli;

        @Command(name = "migrate", description = "Bring the schema up to date and list what was applied (the server also"
                + " does this at start-up unless gateway.db.migrate-on-start=false). The only command that changes the schema.")
        static final class Migrate implements Callable<Integer> {
            @CommandLine.ParentCommand
            Db db;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                Database.Migrated migrated = Database.migrate(db.cli.databaseSettings());
                PrintWriter out = spec.commandLine().getOut();
                if (migrated.applied().isEmpty()) {
                    out.println("Nothing to apply: the store's schema is up to date at version " + migrated.version() + ".");
                } else {
                    out.println("Applied " + migrated.applied().size() + " migration(s):");
                    migrated.applied().forEach(applied -> out.println("  " + applied));
                    out.println("The store's schema is up to date at version " + migrated.version() + ".");
                }
                return 0;
            }
        }

        @Command(name = "status", description = "List the schema's migrations without changing anything"
                + " (exit 0 if up to date, 1 if any is pending or failed).")
        static final class Status implements Callable<Integer> {
            @CommandLine.ParentCommand
            Db db;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                List<Database.Migration> migrations = Database.status(db.cli.databaseSettings());
                return MigrationReport.print(migrations, spec.commandLine().getOut(), spec.commandLine().getErr());
            }
        }
    }

    @Command(name = "mappings", description = "The service catalogue files.", subcommands = {Mappings.Validate.class})
    static final class Mappings {
        @CommandLine.ParentCommand
        Cli cli;

        @Command(name = "validate", description = {"Check the mapping files without starting the server (exit 0 if valid, 1 if not).",
                "With --store, also check against the configured store (gateway.db.*, read only) that no service code"
                        + " stored requests use was deleted: retire a code with active: false instead."})
        static final class Validate implements Callable<Integer> {
            @CommandLine.ParentCommand
            Mappings mappings;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;
            @Parameters(arity = "0..1", paramLabel = "DIR", description = "Directory of the files (default: gateway.mappings.dir)")
            Path directory;
            @Option(names = "--preview", description = "Also print the catalogue as clients will see it, in each language")
            boolean preview;
            @Option(names = "--locale", paramLabel = "fi|sv|en", description = "Preview this language only (implies --preview)")
            String locale;
            @Option(names = "--store", description = "Also check that every service code stored requests use is still in the files"
                    + " (reads the store of gateway.db.*; changes nothing)")
            boolean store;

            @Override
            public Integer call() throws SQLException {
                Path dir = directory != null ? directory
                        : Path.of(mappings.cli.properties().resolveProperty("gateway.mappings.dir").orElse("mappings"));
                List<Language> languages = previewLanguages();
                try {
                    Catalogue catalogue = CatalogueLoader.load(dir);
                    if (store) {
                        List<String> deleted = codesInUseMissingFrom(catalogue);
                        if (!deleted.isEmpty()) {
                            deleted.forEach(problem -> spec.commandLine().getErr().println(problem));
                            return 1;
                        }
                    }
                    spec.commandLine().getOut().println("Valid: " + catalogue.size() + " services ("
                            + catalogue.activeServices().size() + " active), version " + catalogue.version()
                            + (store ? "; every service code stored requests use is in the files" : ""));
                    RequiredAttributes.warnings(catalogue).forEach(warning -> spec.commandLine().getErr().println(warning));
                    if (!languages.isEmpty()) {
                        CataloguePreview preview = new CataloguePreview(new LiveCatalogue(dir));
                        languages.forEach(language -> preview.print(language, spec.commandLine().getOut()));
                    }
                    return 0;
                } catch (MappingException e) {
                    e.problems().forEach(problem -> spec.commandLine().getErr().println(problem));
                    return 1;
                }
            }

            /** Read only, through one plain connection: validating must never create or migrate a schema. */
            private List<String> codesInUseMissingFrom(Catalogue catalogue) throws SQLException {
                Database.Settings settings = mappings.cli.databaseSettings();
                try (Connection connection = DriverManager.getConnection(settings.url(), settings.user(), settings.password())) {
                    connection.setReadOnly(true);
                    if (!settings.schema().isBlank()) {
                        connection.setSchema(settings.schema());
                    }
                    return CodesInUse.missingFrom(catalogue, CodesInUse.requestsByCode(connection));
                }
            }

            /** The languages to preview: none without --preview or --locale; a --locale other than fi, sv, en is a usage error. */
            private List<Language> previewLanguages() {
                if (locale == null) {
                    return preview ? List.of(Language.values()) : List.of();
                }
                for (Language language : Language.values()) {
                    if (language.code().equals(locale.trim().toLowerCase(Locale.ROOT))) {
                        return List.of(language);
                    }
                }
                throw new CommandLine.ParameterException(spec.commandLine(), "--locale: use fi, sv or en, not '" + locale + "'");
            }
        }
    }

    @Command(name = "import", description = {"Import requests from a GeoReport v2 JSON list (as requests.json?extensions=true"
            + " answers it). Ids already stored are skipped; imported requests are never sent to the back ends.",
            "Exit 0 when every item was imported or already stored, 3 when some were rejected (the others are"
            + " imported), 1 when the file or the store cannot be used, 2 on a usage error."})
    static final class ImportCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        Cli cli;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "FILE", description = "The JSON file, e.g. an export of the old system; - reads standard input")
        Path file;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            boolean stdin = file.toString().equals("-");
            if (!stdin && !java.nio.file.Files.isReadable(file)) {
                err.println("Cannot read " + file);
                return 1;
            }
            Catalogue catalogue = CatalogueLoader.load(Path.of(cli.properties().resolveProperty("gateway.mappings.dir").orElse("mappings")));
            ImportReport report = new ImportReport(out, err, stdin ? 0 : java.nio.file.Files.size(file));
            try (HikariDataSource store = cli.openStore();
                 java.io.InputStream in = new java.io.BufferedInputStream(stdin ? System.in : java.nio.file.Files.newInputStream(file), 1 << 16)) {
                RequestImporter importer = new RequestImporter(store, new ImportItemReader(catalogue), cli.importTargets(), report::progress);
                RequestImporter.Summary summary = importer.importFrom(in);
                report.summary(summary);
                return summary.rejected() > 0 ? IMPORT_REJECTED_ITEMS : 0;
            } catch (RequestImporter.UnreadableFile e) {
                report.summary(e.soFar());
                err.println("Cannot import " + file + ": " + e.getMessage());
                return 1;
            }
        }
    }
}
