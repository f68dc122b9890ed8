package org.open311.gateway.admin;

import org.junit.jupiter.api.Test;
import org.open311.gateway.store.ApiKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminTokensTest {

    @Test
    void tokensGivenPlainOrAsTheirHashAreNumberedInOrder() {
        AdminTokens tokens = AdminTokens.parse(" first-token , sha256:" + ApiKeys.hash("second-token").toUpperCase() + ",");

        assertThat(tokens.enabled()).isTrue();
        assertThat(tokens.match("first-token")).hasValue(1);
        assertThat(tokens.match("second-token")).hasValue(2);
        assertThat(tokens.match("sha256:" + ApiKeys.hash("second-token"))).isEmpty();
        assertThat(tokens.match("first-token ")).isEmpty();
        assertThat(tokens.match("")).isEmpty();
        assertThat(tokens.match(null)).isEmpty();
    }

    @Test
    void noTokenMeansTheAdminApiIsOff() {
        assertThat(AdminTokens.parse("").enabled()).isFalse();
        assertThat(AdminTokens.parse(" , ").enabled()).isFalse();
        assertThat(AdminTokens.parse(null).match("anything")).isEmpty();
    }

    @Test
    void aMalformedHashStopsTheStartWithoutEchoingIt() {
        assertThatThrownBy(() -> AdminTokens.parse("sha256:not-a-hash"))
                .hasMessage("gateway.admin.token: a sha256: entry needs 64 hex digits");
    }
}
