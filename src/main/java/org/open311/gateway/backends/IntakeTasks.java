package org.open311.gateway.backends;

import org.apache.camel.Exchange;
import org.open311.gateway.catalogue.LiveCatalogue;
import org.open311.gateway.catalogue.ServiceEntry;
import org.open311.gateway.requests.IdempotentPosts;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A new request's forwarding work, written in its own transaction: one outbox task for each configured
 * back end that receives its service at intake (its kind's routing field in mappings/services.yaml, and
 * gateway.backend.&lt;name&gt;.services if set). Back ends another one asks for get theirs later.
 */
public final class IntakeTasks implements IdempotentPosts.SameTransaction {

    private final Backends backends;
    private final Map<BackendKind, KindMapping> mappings;
    private final LiveCatalogue catalogue;

    public IntakeTasks(Backends backends, Map<BackendKind, KindMapping> mappings, LiveCatalogue catalogue) {
        this.backends = backends;
        this.mappings = Map.copyOf(mappings);
        this.catalogue = catalogue;
    }

    @Override
    public void write(Connection connection, Exchange exchange) throws SQLException {
        String serviceCode = exchange.getMessage().getHeader("serviceCode", String.class);
        Outbox.schedule(connection, exchange.getMessage().getHeader("id", String.class), tasks(serviceCode), "PENDING",
                exchange.getMessage().getHeader("requestedAt", OffsetDateTime.class));
    }

    /** The tasks of a new request of the service. */
    public List<Outbox.Task> tasks(String serviceCode) {
        ServiceEntry service = catalogue.current().service(serviceCode).orElse(null);
        List<Outbox.Task> tasks = new ArrayList<>();
        if (service == null) {
            return tasks;
        }
        for (BackendSpec spec : backends.all()) {
            KindMapping mapping = mappings.get(spec.kind());
            if (spec.receivesAtIntake(serviceCode) && mapping.receives(service)) {
                tasks.add(new Outbox.Task(spec.name(), mapping.categoryAtIntake(service, spec)));
            }
        }
        return tasks;
    }
}
