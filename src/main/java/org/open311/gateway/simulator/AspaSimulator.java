package org.open311.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;

/**
 * Aspa, the public-works system, as docs/backends/aspa.md describes it, with the operator endpoints that let
 * tests play the crews and break Aspa: what it shares with the CRM is {@link RecordSimulator}'s (its work
 * orders: {@link #records()}, {@link #recordById}, {@link #recordByReference}), their rules are
 * {@link AspaWorkOrders}.
 */
public final class AspaSimulator extends RecordSimulator {

    public static final String BASE_PATH = "/aspa/api/v1";

    /** @param stateDir where its work orders are kept across restarts, in aspa.json; null: in memory only */
    AspaSimulator(String apiKey, Path stateDir) {
        super(AspaWorkOrders.KIND, apiKey, stateDir);
    }

    /** Starts the simulator on {@code port}, accepting {@code X-Api-Key: <apiKey>}, its work orders in memory only. */
    public static AspaSimulator start(int port, String apiKey) throws Exception {
        return listen(new AspaSimulator(apiKey, null), port);
    }

    /** Moves the work order; a null {@code ownerName} keeps the current owner. */
    public JsonNode moveState(String workOrderId, String state, String ownerName) {
        return change(workOrderId, AspaWorkOrders.moveState(state, ownerName));
    }
}
