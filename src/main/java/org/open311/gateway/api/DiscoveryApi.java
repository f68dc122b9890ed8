package org.open311.gateway.api;

import org.open311.gateway.api.view.DiscoveryView;

import java.util.List;

/** GET discovery: built once from the configuration, the same content in both formats. */
public final class DiscoveryApi {

    static final String SPECIFICATION = "http://wiki.open311.org/GeoReport_v2";
    /**
     * mySociety's extension (GET and POST servicerequestupdates), under the same URL: a FixMyStreet-style client
     * configures that URL followed by "/" as its endpoint.
     */
    static final String UPDATES_SPECIFICATION =
            "https://github.com/mysociety/FixMyStreet/wiki/Open311-FMS---Proposed-differences-to-Open311";

    private final DiscoveryView discovery;

    public DiscoveryApi(String changeset, String contact, String keyService, String publicUrl, String type) {
        DiscoveryView.Endpoint endpoint = new DiscoveryView.Endpoint(SPECIFICATION, publicUrl, changeset, type,
                List.of("text/xml", "application/json"));
        DiscoveryView.Endpoint updates = new DiscoveryView.Endpoint(UPDATES_SPECIFICATION, publicUrl, changeset, type,
                List.of("text/xml", "application/json"));
        this.discovery = new DiscoveryView(changeset, contact, keyService, List.of(endpoint, updates));
    }

    public DiscoveryView discovery() {
        return discovery;
    }
}
