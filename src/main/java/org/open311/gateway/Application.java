package org.open311.gateway;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.open311.gateway.catalogue.MappingException;
import org.open311.gateway.cli.Cli;
import org.open311.gateway.store.Database;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Starts the gateway: Camel Main reads application.properties, the routes/ folder and mappings/.
 * With a command (see {@link Cli}) it runs that command instead.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        // any argument is a command (an unknown one is a usage error, exit 2): the server starts without arguments
        if (args.length > 0) {
            // A command's output is its answer: only warnings and errors are logged beside it.
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
            System.exit(Cli.run(args, new Properties(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
        }
        try {
            Main gateway = gateway();
            gateway.run(args);
        } catch (Exception e) {
            RuntimeException mistake = findOperatorMistake(e);
            if (mistake == null) {
                throw e;
            }
            // An admin's or operator's mistake, not a crash: say what to fix, without a stack trace.
            System.err.println("The gateway did not start. " + mistake.getMessage());
            System.exit(1);
        }
    }

    /**
     * The gateway's Camel Main with its configuration class named: scanning the classpath for it (what
     * {@code new Main(Application.class)} does) took about 0.7 s of every start.
     */
    public static Main gateway() {
        Optional<Path> external = SettingsFiles.external(System.getenv());
        Main main = new Main() {
            @Override
            protected void configurePropertiesService(CamelContext context) throws Exception {
                // Camel Main's files (the profile's, then the defaults), with the operator's file before them
                super.configurePropertiesService(context);
                external.ifPresent(file -> SettingsFiles.putFirst(context.getPropertiesComponent(), file));
            }
        };
        main.configure().addConfiguration(GatewayConfiguration.class);
        return main;
    }

    /** Invalid mappings, a bad setting or a schema that is behind somewhere in the causes of a failed start, if that is what it was. */
    static RuntimeException findOperatorMistake(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MappingException || cause instanceof SettingException || cause instanceof Database.SchemaNotCurrent) {
                return (RuntimeException) cause;
            }
        }
        return null;
    }
}
