package org.open311.gateway;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.spi.Registry;
import org.open311.gateway.api.ApiResponder;
import org.open311.gateway.api.CatalogueApi;
import org.open311.gateway.api.DiscoveryApi;
import org.open311.gateway.catalogue.LiveCatalogue;

/** Builds the beans the routes call, by name. Invalid mappings stop the start here. */
@Configuration
public class GatewayConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        GatewaySettings settings = GatewaySettings.from(context.getPropertiesComponent());
        LiveCatalogue catalogue = new LiveCatalogue(settings.mappingsDir());
        Registry registry = context.getRegistry();
        registry.bind("catalogue", catalogue);
        registry.bind("catalogueApi", new CatalogueApi(catalogue));
        registry.bind("discoveryApi", new DiscoveryApi(settings.discoveryChangeset(), settings.discoveryContact(),
                settings.discoveryKeyService(), settings.publicUrl(), settings.environmentType()));
        registry.bind("responder", new ApiResponder());
    }
}
