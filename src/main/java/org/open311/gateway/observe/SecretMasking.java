package org.open311.gateway.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The logs' safety net for secrets (installed in logback.xml): a log event whose message or exception
 * holds the value of a secret setting reaches the appenders as a copy with each such value written as
 * {@value #MASK}, whatever the logger and level. Camel masks secrets by their setting's name in its
 * start-up summary, but at DEBUG it logs every resolved property value and placeholder as it is;
 * {@link SecretSettings} registers each secret's value here as Camel resolves it, before Camel logs it.
 * Only events of enabled levels are looked at. SLF4J's fluent API (the access log) does not pass
 * through turbo filters in logback 1.5: nothing logged that way may carry a setting.
 */
public final class SecretMasking extends TurboFilter {

    public static final String MASK = "****";
    /** Shorter values are not masked: replacing every "sa" or "1" in the logs would garble them, and is no secret. */
    static final int MIN_LENGTH = 4;
    private static final int MAX_CAUSES = 32;

    /** Longest first, so that a secret containing another is masked whole. */
    private static volatile List<String> secrets = List.of();

    /** From now on, every log event holding this value gets it masked. */
    public static synchronized void register(String value) {
        if (value == null || value.length() < MIN_LENGTH || secrets.contains(value)) {
            return;
        }
        List<String> more = new ArrayList<>(secrets);
        more.add(value);
        more.sort(Comparator.comparingInt(String::length).reversed());
        secrets = List.copyOf(more);
    }

    /** The text with every registered secret written as {@value #MASK}. */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        // format is null when a caller only asks whether a level is enabled
        if (format == null || secrets.isEmpty() || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            return FilterReply.NEUTRAL;
        }
        FormattingTuple formatted = MessageFormatter.arrayFormat(format, params);
        Throwable thrown = t != null ? t : formatted.getThrowable();
        if (!holdsSecret(formatted.getMessage()) && !holdsSecret(thrown)) {
            return FilterReply.NEUTRAL;
        }
        LoggingEvent masked = new LoggingEvent(Logger.FQCN, logger, level, mask(formatted.getMessage()), mask(thrown, 0), null);
        if (marker != null) {
            masked.addMarker(marker);
        }
        logger.callAppenders(masked);
        return FilterReply.DENY;
    }

    private static boolean holdsSecret(String text) {
        if (text == null) {
            return false;
        }
        for (String secret : secrets) {
            if (text.contains(secret)) {
                return true;
            }
        }
        return false;
    }

    private static boolean holdsSecret(Throwable thrown) {
        for (int depth = 0; thrown != null && depth < MAX_CAUSES; thrown = thrown.getCause(), depth++) {
            if (holdsSecret(thrown.getMessage())) {
                return true;
            }
            for (Throwable suppressed : thrown.getSuppressed()) {
                if (holdsSecret(suppressed.getMessage())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A copy of the exception chain with masked messages, the same stack frames, naming each original class. */
    static Throwable mask(Throwable thrown, int depth) {
        if (thrown == null || depth >= MAX_CAUSES) {
            return null;
        }
        MaskedException copy = new MaskedException(thrown.getClass().getName()
                + (thrown.getMessage() == null ? "" : ": " + mask(thrown.getMessage())), mask(thrown.getCause(), depth + 1));
        copy.setStackTrace(thrown.getStackTrace());
        for (Throwable suppressed : thrown.getSuppressed()) {
            copy.addSuppressed(mask(suppressed, MAX_CAUSES - 1));
        }
        return copy;
    }

    /** Stands for a logged exception whose message held a secret. */
    static final class MaskedException extends RuntimeException {
        MaskedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
