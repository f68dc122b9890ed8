package org.open311.gateway.catalogue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.open311.gateway.catalogue.MappingFixtures.copyFixture;
import static org.open311.gateway.catalogue.MappingFixtures.edit;

/** A CRM admin edits mappings/ while the gateway runs: good edits are served, bad ones refused and logged. */
class MappingReloadHttpTest extends GatewayTestSupport {

    // static: Camel's test support asks for the settings from its constructor, before instance fields are set
    private static final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private static Path dir;

    @Override
    protected Properties settings() {
        try {
            dir = copyFixture(Files.createTempDirectory("mappings"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        log.start();
        ((Logger) LoggerFactory.getLogger(LiveCatalogue.class)).addAppender(log);
        Properties settings = new Properties();
        settings.put("gateway.mappings.dir", dir.toString());
        settings.put("gateway.mappings.reload-interval-ms", "100");
        return settings;
    }

    @AfterAll
    void detachLog() {
        ((Logger) LoggerFactory.getLogger(LiveCatalogue.class)).detachAppender(log);
    }

    @Test
    void goodEditIsServedAndBadEditIsRefusedWithTheOldCatalogueKept() {
        assertThat(serviceNames()).isEqualTo("Pothole,Graffiti,Park bench");

        edit(dir, "services.yaml", "en: Graffiti}", "en: Graffiti and tags}");
        await().atMost(Duration.ofSeconds(10)).until(() -> serviceNames().equals("Pothole,Graffiti and tags,Park bench"));

        edit(dir, "services.yaml", "code: \"400\"", "code: \"100\"");
        edit(dir, "services.yaml", "en: Graffiti and tags}", "en: Graffiti removal}");
        await().atMost(Duration.ofSeconds(10)).until(() -> log.list.stream().anyMatch(event ->
                event.getFormattedMessage().contains("Edited mappings refused")
                        && event.getFormattedMessage().contains("services.yaml:47:11: service '100' (services[3]) field code: duplicate service code")));

        assertThat(serviceNames()).isEqualTo("Pothole,Graffiti and tags,Park bench");
        assertThat(get("/v1/services/400.json").status()).isEqualTo(200);
    }

    private String serviceNames() {
        return String.join(",", get("/v1/services.json?locale=en").jsonField("service_name"));
    }
}
