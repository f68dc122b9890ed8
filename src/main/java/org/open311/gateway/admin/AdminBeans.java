package org.open311.gateway.admin;

import org.apache.camel.CamelContext;
import org.open311.gateway.catalogue.LiveCatalogue;
import org.open311.gateway.limits.FailedAuthentications;
import org.open311.gateway.store.DeadLetters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.file.Path;

/** Builds the beans the admin routes call, from {@code gateway.admin.token}. */
public final class AdminBeans {

    private static final Logger LOG = LoggerFactory.getLogger(AdminBeans.class);

    private AdminBeans() {
    }

    public static void bind(CamelContext context, DataSource store, LiveCatalogue catalogue, Path mappingsDir,
                            FailedAuthentications failedAuthentications, java.util.List<String> backends) {
        AdminTokens tokens = AdminTokens.parse(context.getPropertiesComponent().resolveProperty("gateway.admin.token").orElse(""));
        context.getRegistry().bind("adminApi", new AdminApi(tokens, failedAuthentications, new DeadLetters(store), catalogue, mappingsDir));
        context.getRegistry().bind("resync", new Resync(store, backends));
        LOG.info(tokens.enabled() ? "Admin API enabled under /admin" : "Admin API disabled (no gateway.admin.token)");
    }
}
