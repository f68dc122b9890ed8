package org.open311.gateway.observe;

import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.MDC;

/**
 * Puts the correlation id in the MDC while a route handles an API request (so the route's own log
 * lines carry it) or forwards a stored request (its id was stored with it). The route that put it
 * there takes it away; routes it calls leave it alone.
 */
public final class CorrelationMdc extends RoutePolicySupport implements RoutePolicyFactory {

    private static final String OWNER = "open311.mdcOwner";

    @Override
    public RoutePolicy createRoutePolicy(org.apache.camel.CamelContext context, String routeId, NamedNode route) {
        return this;
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        if (exchange.getProperty(OWNER) != null) {
            return;
        }
        String id = CorrelationId.of(exchange);
        if (id != null) {
            exchange.setProperty(OWNER, route.getRouteId());
            exchange.setProperty(CorrelationId.PROPERTY, id);
            MDC.put(CorrelationId.MDC_KEY, id);
        }
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        if (route.getRouteId().equals(exchange.getProperty(OWNER))) {
            MDC.remove(CorrelationId.MDC_KEY);
        }
    }
}
