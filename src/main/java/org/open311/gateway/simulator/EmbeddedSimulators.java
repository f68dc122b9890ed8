package org.open311.gateway.simulator;

import java.nio.file.Path;

/**
 * The embedded run's three back ends beside the gateway (gateway.simulators.*), each its own HTTP server and
 * Camel context: the CRM and Aspa keep their records in {@code stateDir} (crm.json, aspa.json), so the embedded
 * run survives a restart as real back ends would.
 */
public record EmbeddedSimulators(CrmSimulator crm, AspaSimulator aspa, Open311Simulator open311) implements AutoCloseable {

    /** @param stateDir null: the records in memory only */
    public static EmbeddedSimulators start(int crmPort, String crmToken, int aspaPort, String aspaApiKey, int open311Port,
                                           Path stateDir) throws Exception {
        CrmSimulator crm = RecordSimulator.listen(new CrmSimulator(crmToken, stateDir), crmPort);
        AspaSimulator aspa = RecordSimulator.listen(new AspaSimulator(aspaApiKey, stateDir), aspaPort);
        return new EmbeddedSimulators(crm, aspa, Open311Simulator.start(open311Port, Open311Simulator.EMBEDDED_API_KEY));
    }

    @Override
    public void close() {
        crm.stop();
        aspa.stop();
        open311.stop();
    }
}
