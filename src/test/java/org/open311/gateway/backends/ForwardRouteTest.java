package org.open311.gateway.backends;

import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The route layer: the {@code forward} template's route for the CRM ({@code forward-to-crm}) with its steps
 * advised by id, the CRM's transport ({@code call-crm}) replaced by a mock endpoint and the poll started by
 * the test instead of the timer. No back end, no waiting for polls: what each outcome leaves in the store
 * is checked right after one poll. The gateway is the real one (routes/ from the file system, Camel Main).
 */
class ForwardRouteTest extends GatewayTestSupport {

    private static final String POLL = "direct:forward-to-crm-once";

    private boolean advised;

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        // the context starts after the routes are advised (see poll())
        configuration.withUseAdviceWith(true);
    }

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.api-keys.demo", "route-key");
        // nothing of the test's requests reaches a back end but through the mock; the feeds are not read
        settings.put("gateway.simulators.enabled", "false");
        settings.put("gateway.sync.interval-ms", "3600000");
        settings.put("gateway.circuit.minimum-calls", "100");
        return settings;
    }

    @Test
    void aFailedCallIsRecordedAsARetryWithTheAttempt() throws Exception {
        String id = accepted();
        crm().whenAnyExchangeReceived(exchange -> {
            throw new IOException("Connection refused");
        });

        poll();

        assertThat(crm().getReceivedCounter()).isEqualTo(1);
        assertThat(crm().getReceivedExchanges().get(0).getMessage().getBody(String.class))
                .as("the mapped CRM case").contains("\"reference\":\"" + id + "\"");
        Map<String, Object> task = task(id);
        assertThat(task).containsEntry("STATE", "PENDING");
        assertThat(((Number) task.get("ATTEMPTS")).intValue()).isEqualTo(1);
        // the failure's kind, not its message (a back end's message may quote the request)
        assertThat(task).containsEntry("LAST_ERROR", "IOException");
        assertThat(attempts(id)).isEqualTo("RETRY");
    }

    @Test
    void anAcceptedCallIsRecordedAsSentWithTheCaseId() throws Exception {
        String id = accepted();
        crm().whenAnyExchangeReceived(exchange -> exchange.getMessage().setBody(
                "{\"case_id\":\"CRM-000042\",\"reference\":\"" + exchange.getProperty(KindMapping.REFERENCE) + "\"}"));

        poll();

        Map<String, Object> task = task(id);
        assertThat(task).containsEntry("STATE", "SENT");
        assertThat(((Number) task.get("ATTEMPTS")).intValue()).isEqualTo(1);
        assertThat(attempts(id)).isEqualTo("SENT");
        assertThat(remoteId(id)).isEqualTo("CRM-000042");
    }

    @Test
    void aRequestThatCannotBeMappedIsItsOwnFailureAndTheOthersOfThePollAreRecorded() throws Exception {
        String broken = accepted();
        String sound = accepted();
        // stored data the CRM mapping cannot read (as a bad migration or a manual edit would leave it)
        update("UPDATE service_request SET attributes = '{not json' WHERE id = ?", broken);
        crm().whenAnyExchangeReceived(exchange -> exchange.getMessage().setBody(
                "{\"case_id\":\"CRM-000043\",\"reference\":\"" + exchange.getProperty(KindMapping.REFERENCE) + "\"}"));

        poll();

        assertThat(crm().getReceivedCounter()).as("only the sound request reached the CRM").isEqualTo(1);
        assertThat(task(sound)).containsEntry("STATE", "SENT");
        assertThat(remoteId(sound)).isEqualTo("CRM-000043");
        Map<String, Object> failed = task(broken);
        assertThat(failed).containsEntry("STATE", "PENDING").containsEntry("LAST_ERROR", "IllegalStateException");
        assertThat(((Number) failed.get("ATTEMPTS")).intValue()).as("counted towards the dead letter").isEqualTo(1);
        assertThat(attempts(broken)).isEqualTo("RETRY");
    }

    private void update(String sql, String id) throws SQLException {
        DataSource store = context().getRegistry().lookupByNameAndType("store", DataSource.class);
        try (Connection connection = store.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, id);
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }

    private MockEndpoint crm() {
        return context().getEndpoint("mock:crm", MockEndpoint.class);
    }

    /** A request accepted through the API: stored with its CRM task, in one transaction, as intake does. */
    private String accepted() throws Exception {
        startOnce();
        HttpAnswer answer = postForm("/v1/requests.json", "api_key", "route-key", "service_code", "191",
                "description", "Roska-astia on täynnä", "lat", "60.17", "long", "24.94");
        assertThat(answer.status()).isEqualTo(200);
        return answer.json().get(0).path("service_request_id").asText();
    }

    /** Advises forward-to-crm once: started by the test, and its transport step replaced by the mock. */
    private void startOnce() throws Exception {
        if (advised) {
            crm().reset();
            return;
        }
        AdviceWith.adviceWith(context(), "forward-to-crm", route -> {
            route.replaceFromWith(POLL);
            // the step call-crm: in the model of a route made from a template, ids and URIs keep the template's
            // placeholders (call-{{name}}, direct:send-to-{{name}}) until the route starts, and weaveById
            // resolves its pattern's placeholders (there is no "name" property): so the step is found by its text
            route.weaveByToString("to\\[direct:send-to-.*\\]").replace().to("mock:crm");
        });
        advised = true;
        context().start();
    }

    /** One poll of forward-to-crm, as its timer would run it: claim, send each, record the outcomes. */
    private void poll() {
        Exchange done = template().send(POLL, exchange -> { });
        assertThat(done.getException()).isNull();
    }

    private Map<String, Object> task(String id) throws SQLException {
        return row("SELECT state, attempts, last_error FROM forward_task WHERE request_id = ? AND backend = 'crm'", id);
    }

    private String attempts(String id) throws SQLException {
        return (String) row("SELECT LISTAGG(outcome, ',') WITHIN GROUP (ORDER BY attempted_at) AS outcomes"
                + " FROM forward_attempt WHERE request_id = ? AND backend = 'crm'", id).get("OUTCOMES");
    }

    private String remoteId(String id) throws SQLException {
        return (String) row("SELECT remote_id FROM backend_record WHERE request_id = ? AND backend = 'crm'", id).get("REMOTE_ID");
    }

    private Map<String, Object> row(String sql, String id) throws SQLException {
        DataSource store = context().getRegistry().lookupByNameAndType("store", DataSource.class);
        try (Connection connection = store.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, id);
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).as("a row for " + id).isTrue();
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    row.put(rows.getMetaData().getColumnLabel(i).toUpperCase(java.util.Locale.ROOT), rows.getObject(i));
                }
                return row;
            }
        }
    }
}
