package org.open311.gateway.health;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.Map;

/** Ready only while the store answers: without it nothing can be accepted or answered. */
public final class StoreHealthCheck extends AbstractHealthCheck {

    private final DataSource store;

    public StoreHealthCheck(DataSource store) {
        super("open311", "store");
        this.store = store;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection connection = store.getConnection()) {
            if (connection.isValid(2)) {
                builder.up();
            } else {
                builder.down().message("the store did not answer");
            }
        } catch (Exception e) {
            builder.down().message("the store cannot be reached: " + e.getClass().getSimpleName());
        }
    }
}
