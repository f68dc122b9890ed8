package org.open311.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every log event of the whole process at a level an operator might set, from {@link #at} until closed (the
 * root logger's level is restored then): for tests that check what never reaches a log line.
 */
public final class CapturedLog implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level level = root.getLevel();

    private CapturedLog(Level captured) {
        appender.start();
        root.setLevel(captured);
        root.addAppender(appender);
    }

    /** Captures from now on with the root logger at this level. */
    public static CapturedLog at(Level level) {
        return new CapturedLog(level);
    }

    public List<ILoggingEvent> events() {
        return appender.list;
    }

    /** Asserts that some events were captured, and that none holds any of the texts in its message, arguments or exception. */
    public void assertNoneContains(String... texts) {
        assertThat(appender.list).isNotEmpty();
        assertThat(appender.list).allSatisfy(event -> assertThat(event.getFormattedMessage() + " " + Arrays.toString(event.getArgumentArray())
                + " " + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage()))
                .as(event.getLoggerName()).doesNotContain(texts));
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        root.setLevel(level);
    }
}
