package org.open311.gateway.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

import java.util.List;

/**
 * Installed in logback.xml: Camel's TRACE events never reach the appenders, whatever level an operator sets.
 * At TRACE Camel writes the content of the messages it moves: camel-jdbc each bound parameter's value ("Setting
 * parameter #12 with value: …", a resident's email and phone on every stored request), the bean component the
 * arguments of each call (a request's row as it is mapped for a back end). The store and the routes carry
 * residents' contact data, so no TRACE of theirs may be written; DEBUG (routes, SQL text, no values) stays
 * available for troubleshooting. The HTTP client's wire and header logs are off in logback.xml for the same reason.
 */
public final class NoMessageContentAtTrace extends TurboFilter {

    /** Loggers whose TRACE events may hold message content. */
    static final List<String> CONTENT_LOGGERS = List.of("org.apache.camel");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == null || level.toInt() > Level.TRACE_INT) {
            return FilterReply.NEUTRAL;
        }
        String name = logger.getName();
        for (String content : CONTENT_LOGGERS) {
            if (name.equals(content) || name.startsWith(content + ".")) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }
}
