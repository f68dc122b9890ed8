package org.open311.gateway.api;

/** One GeoReport v2 error: the HTTP status code and a text meant for the end user. */
public record ApiError(int code, String description) {
}
