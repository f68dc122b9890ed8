package org.open311.gateway.store;

import com.zaxxer.hikari.HikariConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreTimeoutsTest {

    @Test
    void theDefaultsBoundOneStoreStepByTenSeconds() {
        StoreTimeouts timeouts = StoreTimeouts.defaults();

        assertThat(timeouts.validationMs()).isEqualTo(1_000);
        assertThat(timeouts.socketSeconds()).isEqualTo(6);
        assertThat(timeouts.stepBoundMs()).isEqualTo(10_000);
    }

    @Test
    void postgresGetsSocketConnectAndStatementTimeouts() {
        HikariConfig config = new HikariConfig();

        new StoreTimeouts(3_000, 5_000).applyTo(config, "jdbc:postgresql://db:5432/open311");

        assertThat(config.getConnectionTimeout()).isEqualTo(3_000);
        assertThat(config.getValidationTimeout()).isEqualTo(1_000);
        assertThat(config.getDataSourceProperties()).containsEntry("socketTimeout", "6")
                .containsEntry("connectTimeout", "3").containsEntry("loginTimeout", "3");
        assertThat(config.getConnectionInitSql()).contains("'statement_timeout', '5000'")
                .contains("'idle_in_transaction_session_timeout', '5000'");
    }

    @Test
    void h2GetsALockTimeoutButNoQueryTimeout() {
        HikariConfig config = new HikariConfig();

        new StoreTimeouts(2_000, 4_000).applyTo(config, "jdbc:h2:file:./data/open311;AUTO_SERVER=TRUE");

        assertThat(config.getConnectionTimeout()).isEqualTo(2_000);
        assertThat(config.getDataSourceProperties()).isEmpty();
        assertThat(config.getConnectionInitSql()).isEqualTo("SET LOCK_TIMEOUT 4000");
    }

    @Test
    void aTimeoutUnderASecondIsRefused() {
        assertThatThrownBy(() -> new StoreTimeouts(500, 5_000)).isInstanceOf(IllegalArgumentException.class);
    }
}
