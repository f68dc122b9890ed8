package org.open311.gateway.backends;

import org.apache.camel.builder.RouteBuilder;

/**
 * Makes each configured back end's routes from the templates in routes/backends.camel.yaml. Bound as a
 * bean, so Camel Main collects it with the YAML routes; templated routes are added after every template
 * is. The routes' ids end in the back end's name.
 */
public final class BackendRoutes extends RouteBuilder {

    /** The input of {@code read-record-<name>}: the record's id at the back end, encoded for its path. */
    public static final String RECORD_ID = "open311.recordId";

    /** The configured back ends: the bean "backends" (BackendBeans), read when Camel Main collects the routes. */
    @Override
    public void configure() {
        getContext().getRegistry().lookupByNameAndType("backends", Backends.class).all().forEach(this::routesOf);
    }

    private void routesOf(BackendSpec spec) {
        String name = spec.name();
        BackendKind kind = spec.kind();
        // the credential stays a placeholder: its value is resolved when the route is made, never written here
        String credential = kind.credentialValue("{{gateway.backend." + name + "." + kind.credentialSetting() + "}}");
        String timeout = String.valueOf(spec.timeout().toMillis());
        if (kind.putsRecords()) {
            recordTransport(spec, credential, timeout);
        } else {
            georeportTransport(spec, credential, timeout);
        }
        templatedRoute("apply-change").routeId("apply-change-" + name)
                .parameter("name", name);
        templatedRoute("forward").routeId("forward-to-" + name)
                .parameter("name", name).parameter("mapping", BackendBeans.mappingBean(kind))
                .parameter("circuitBreaker", spec.circuitBreakerBean())
                .parameter("interval", "{{gateway.forwarding.interval-ms}}");
        templatedRoute(kind.putsRecords() ? "follow-feed" : "poll-requests").routeId("follow-feed-" + name)
                .parameter("name", name).parameter("circuitBreaker", spec.circuitBreakerBean())
                .parameter("interval", "{{gateway.sync.interval-ms}}");
    }

    /** PUT a record, read a change feed, read one record (feedback-crm, aspa). */
    private void recordTransport(BackendSpec spec, String credential, String timeout) {
        String name = spec.name();
        BackendKind kind = spec.kind();
        templatedRoute("send").routeId("send-to-" + name)
                .parameter("name", name).parameter("url", spec.url()).parameter("timeout", timeout)
                .parameter("credentialHeader", kind.credentialHeader()).parameter("credential", credential)
                .parameter("recordPath", kind.recordPath())
                .parameter("connections", String.valueOf(spec.concurrency()));
        templatedRoute("read-changes").routeId("read-changes-" + name)
                .parameter("name", name).parameter("url", spec.url()).parameter("timeout", timeout)
                .parameter("credentialHeader", kind.credentialHeader()).parameter("credential", credential);
        templatedRoute("read-record").routeId("read-record-" + name)
                .parameter("name", name).parameter("url", spec.url()).parameter("timeout", timeout)
                .parameter("credentialHeader", kind.credentialHeader()).parameter("credential", credential)
                .parameter("recordPath", kind.recordPath());
    }

    /** POST a form, read requests by id, read one request (open311). */
    private void georeportTransport(BackendSpec spec, String credential, String timeout) {
        String name = spec.name();
        templatedRoute("post-form").routeId("send-to-" + name)
                .parameter("name", name).parameter("url", spec.url()).parameter("timeout", timeout)
                .parameter("credential", credential).parameter("connections", String.valueOf(spec.concurrency()));
        templatedRoute("read-requests").routeId("read-changes-" + name)
                .parameter("name", name).parameter("url", spec.url()).parameter("timeout", timeout);
        templatedRoute("read-request").routeId("read-record-" + name)
                .parameter("name", name).parameter("url", spec.url()).parameter("timeout", timeout);
    }
}
