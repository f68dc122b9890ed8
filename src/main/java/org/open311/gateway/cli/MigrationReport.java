package org.open311.gateway.cli;

import org.open311.gateway.store.Database;

import java.io.PrintWriter;
import java.util.List;

/** {@code db status}: the migrations as a table, a one-line verdict, and an exit code a CI job can act on. */
final class MigrationReport {

    private MigrationReport() {
    }

    /** Prints the report; 0 if the schema is up to date, 1 if a migration is pending or failed. */
    static int print(List<Database.Migration> migrations, PrintWriter out, PrintWriter err) {
        out.printf("%-8s %-40s %-10s %s%n", "VERSION", "DESCRIPTION", "STATE", "INSTALLED");
        for (Database.Migration migration : migrations) {
            out.printf("%-8s %-40s %-10s %s%n", migration.version(), migration.description(), migration.state(),
                    migration.installedOn() == null ? "-" : migration.installedOn());
        }
        long pending = migrations.stream().filter(Database.Migration::pending).count();
        long failed = migrations.stream().filter(Database.Migration::failed).count();
        if (failed > 0) {
            err.println(failed + " migration(s) failed: repair the database (see the Flyway state above) before starting the gateway.");
            return 1;
        }
        if (pending > 0) {
            err.println(pending + " migration(s) pending: run `db migrate` (the gateway also migrates when it starts).");
            return 1;
        }
        out.println("The store's schema is up to date: " + migrations.size() + " migrations applied.");
        return 0;
    }
}
