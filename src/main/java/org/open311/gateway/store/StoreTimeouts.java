package org.open311.gateway.store;

import com.zaxxer.hikari.HikariConfig;

/**
 * How long the gateway waits for its store, so that a database that stops answering (a frozen network
 * mid-query, a stuck server) turns into a prompt error instead of a call that hangs.
 *
 * <ul>
 *   <li>A connection from the pool: at most {@code connectMs} (HikariCP's connection timeout), plus at
 *       most {@link #validationMs()} to test an idle connection before handing it out.</li>
 *   <li>A statement on PostgreSQL: at most {@code queryMs}, ended by the server itself
 *       ({@code statement_timeout}), which keeps the connection usable. A session setting made once per new
 *       connection covers every statement (camel-jdbc endpoints, the Java steps, health checks) at no cost
 *       per statement; {@code Statement.setQueryTimeout} would need setting on each endpoint and, in
 *       pgjdbc, cancels through a new connection that a frozen network stops as well.</li>
 *   <li>PostgreSQL over a network that stops relaying: the server cannot say anything, so pgjdbc's
 *       {@code socketTimeout} ({@link #socketSeconds()}, one second over the statement timeout) ends the
 *       wait and drops the connection; {@code connectTimeout} and {@code loginTimeout} bound opening a
 *       new one; {@code idle_in_transaction_session_timeout} frees, on the server, the locks of a
 *       transaction whose client went away mid-way.</li>
 * </ul>
 * Embedded H2 has no network to freeze: a wait for another transaction's lock is what can grow there,
 * and {@code LOCK_TIMEOUT} bounds it by {@code queryMs}.
 */
public record StoreTimeouts(long connectMs, long queryMs) {

    /** The smallest timeout accepted: pgjdbc counts its timeouts in whole seconds. */
    public static final long MINIMUM_MS = 1_000;

    public StoreTimeouts {
        if (connectMs < MINIMUM_MS || queryMs < MINIMUM_MS) {
            throw new IllegalArgumentException("store timeouts must be at least " + MINIMUM_MS + " ms");
        }
    }

    /** The defaults of application.properties, for stores opened without settings (tests, tools). */
    public static StoreTimeouts defaults() {
        return new StoreTimeouts(3_000, 5_000);
    }

    /** Testing an idle connection before it is handed out: short, and inside the connection timeout. */
    public long validationMs() {
        return Math.max(250, Math.min(1_000, connectMs / 2));
    }

    /** pgjdbc's read timeout: just over the statement timeout, so that the server's cancel comes first. */
    public int socketSeconds() {
        return (int) ceilSeconds(queryMs + 1_000);
    }

    /**
     * The longest one store step of an API call can take when the store stops answering: the wait for
     * a connection (and its test), then the statement until the socket gives up. The step then fails
     * and the call answers 503.
     */
    public long stepBoundMs() {
        return connectMs + validationMs() + socketSeconds() * 1_000L;
    }

    /** Puts the timeouts on a pool for this JDBC URL. */
    public void applyTo(HikariConfig config, String url) {
        config.setConnectionTimeout(connectMs);
        config.setValidationTimeout(validationMs());
        if (url.startsWith("jdbc:postgresql:")) {
            config.addDataSourceProperty("connectTimeout", String.valueOf(ceilSeconds(connectMs)));
            config.addDataSourceProperty("loginTimeout", String.valueOf(ceilSeconds(connectMs)));
            config.addDataSourceProperty("socketTimeout", String.valueOf(socketSeconds()));
            config.setConnectionInitSql("SELECT set_config('statement_timeout', '" + queryMs + "', false),"
                    + " set_config('idle_in_transaction_session_timeout', '" + queryMs + "', false)");
        } else if (url.startsWith("jdbc:h2:")) {
            // not QUERY_TIMEOUT: a session with one never runs H2's automatic ANALYZE, and without its
            // statistics H2 planned the forwarding claim as a scan of the whole backlog (QueryPlanTest)
            config.setConnectionInitSql("SET LOCK_TIMEOUT " + queryMs);
        }
    }

    private static long ceilSeconds(long ms) {
        return (ms + 999) / 1_000;
    }
}
