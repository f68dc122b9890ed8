package org.open311.gateway.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SecretMaskingTest {

    private final String secret = "s3cret-" + UUID.randomUUID();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Logger logger;

    @BeforeEach
    void aLoggerContextOfItsOwnWithTheFilter() {
        LoggerContext context = new LoggerContext();
        SecretMasking filter = new SecretMasking();
        filter.start();
        context.addTurboFilter(filter);
        appender.setContext(context);
        appender.start();
        logger = context.getLogger("test");
        logger.setLevel(Level.DEBUG);
        logger.addAppender(appender);
        SecretMasking.register(secret);
    }

    @Test
    void aRegisteredValueIsMaskedInMessagesArgumentsAndExceptions() {
        logger.debug("Found property: {} with value: {} to be used.", "gateway.backend.crm.token", secret);
        logger.info("Resolved text: Bearer " + secret);
        logger.warn("Failed: {}", "call", new SQLException("password " + secret + " refused", new IllegalStateException(secret)));

        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Found property: gateway.backend.crm.token with value: **** to be used.",
                "Resolved text: Bearer ****",
                "Failed: call");
        assertThat(appender.list).allSatisfy(event -> assertThat(event.getFormattedMessage()).doesNotContain(secret));
        IThrowableProxy thrown = appender.list.get(2).getThrowableProxy();
        assertThat(thrown.getMessage()).isEqualTo("java.sql.SQLException: password **** refused");
        assertThat(thrown.getCause().getMessage()).isEqualTo("java.lang.IllegalStateException: ****");
        assertThat(thrown.getStackTraceElementProxyArray()).isNotEmpty();
        assertThat(appender.list.get(0).getLevel()).isEqualTo(Level.DEBUG);
        assertThat(appender.list.get(0).getLoggerName()).isEqualTo("test");
    }

    @Test
    void eventsWithoutSecretsAndDisabledLevelsAreLeftAlone() {
        Exception plain = new IllegalStateException("nothing to hide");
        logger.info("Store schema at version {}", 7, plain);
        logger.trace("below the level: {}", secret);

        assertThat(appender.list).hasSize(1);
        assertThat(appender.list.get(0).getFormattedMessage()).isEqualTo("Store schema at version 7");
        assertThat(appender.list.get(0).getArgumentArray()).containsExactly(7);
        assertThat(appender.list.get(0).getThrowableProxy().getClassName()).isEqualTo(IllegalStateException.class.getName());
    }

    @Test
    void valuesTooShortToBeSecretsAreNotMasked() {
        SecretMasking.register("sa");
        SecretMasking.register("");
        SecretMasking.register(null);
        assertThat(SecretMasking.mask("user sa connected")).isEqualTo("user sa connected");
        assertThat(SecretMasking.mask("token " + secret + "!")).isEqualTo("token ****!");
    }

    @Test
    void secretSettingsAreThoseCamelDeemsSensitiveButUserNames() {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().setAdditionalSensitiveKeywords("demo,notificationsecret");
        for (String key : new String[]{"gateway.db.password", "gateway.backend.crm.token", "gateway.backend.aspa.api-key", "gateway.admin.token",
                "gateway.backend.crm.notification-secret", "gateway.backend.aspa.notification-secret", "gateway.api-keys.demo"}) {
            assertThat(SecretSettings.isSecret(context, key)).as(key).isTrue();
        }
        for (String key : new String[]{"gateway.db.user", "gateway.db.url", "gateway.backend.crm.url", "gateway.port", "gateway.discovery.key-service"}) {
            assertThat(SecretSettings.isSecret(context, key)).as(key).isFalse();
        }
        assertThat(SecretSettings.secretsOf(context, "gateway.admin.token", "first-token, sha256:abcd"))
                .contains("first-token, sha256:abcd", "first-token", "sha256:abcd");
        assertThat(SecretSettings.secretsOf(context, "gateway.port", "8080")).isEmpty();
    }

    @Test
    void passwordsWrittenIntoUrlsAreSecrets() {
        assertThat(SecretSettings.credentialsIn("jdbc:postgresql://db:5432/open311?user=open311&password=pg-Pass_1&ssl=true"))
                .containsExactly("pg-Pass_1");
        assertThat(SecretSettings.credentialsIn("jdbc:h2:file:./data/open311;USER=sa;PASSWORD=h2pass;WRITE_DELAY=0"))
                .containsExactly("h2pass");
        assertThat(SecretSettings.credentialsIn("https://gateway:crm-pass@crm.example.org/api")).containsExactly("crm-pass");
        assertThat(SecretSettings.credentialsIn("http://localhost:8081/crm/api/v1")).isEmpty();
    }

    @Test
    void watchingAContextRegistersItsSecretsBeforeAnythingLogsThem() {
        String token = "crm-token-" + UUID.randomUUID();
        String dbPassword = "db-pass-" + UUID.randomUUID();
        DefaultCamelContext context = new DefaultCamelContext();
        Properties settings = new Properties();
        settings.put("gateway.backend.crm.token", token);
        settings.put("gateway.db.url", "jdbc:postgresql://db/open311?password=" + dbPassword);
        settings.put("gateway.db.user", "open311-owner");
        context.getPropertiesComponent().setInitialProperties(settings);

        SecretSettings.watch(context);

        assertThat(SecretMasking.mask(token + " " + dbPassword + " open311-owner")).isEqualTo("**** **** open311-owner");
    }
}
