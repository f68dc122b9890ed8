package org.open311.gateway.api;

/**
 * An answer of the API. GeoReport v2 lists are bare arrays in JSON but wrapped in a plural root element
 * in XML ({@code <services><service>…}), so a body may give each format its own object to write.
 */
public interface ApiBody {

    default Object json() {
        return this;
    }

    default Object xml() {
        return this;
    }
}
