package org.open311.gateway.requests;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The small rules behind the request answers. */
class RequestUnitsTest {

    @Test
    void titleIsGivenOrCutFromTheDescriptionAtAWord() {
        assertThat(RequestRows.title("Kuoppa", "Iso kuoppa tiessä")).isEqualTo("Kuoppa");
        assertThat(RequestRows.title(null, "Iso kuoppa tiessä\nToinen rivi")).isEqualTo("Iso kuoppa tiessä");
        assertThat(RequestRows.title(null, " \r\n  Iso kuoppa tiessä  \r\nToinen rivi")).isEqualTo("Iso kuoppa tiessä");
        assertThat(RequestRows.title("", "\tYksi rivi\t")).isEqualTo("Yksi rivi");
        assertThat(RequestRows.title(null, " \n ")).isEmpty();
        String long80 = "Mannerheimintien ja Kaivokadun risteyksessä on suuri kuoppa joka on vaarallinen pyöräilijöille ja autoille";
        String title = RequestRows.title(" ", long80);
        assertThat(title).endsWith("…").hasSizeLessThanOrEqualTo(81);
        assertThat(long80).startsWith(title.substring(0, title.length() - 1));
        assertThat(title.charAt(title.length() - 2)).isNotEqualTo(' ');
    }

    @Test
    void idsAreUrlSafeAndDoNotRepeat() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestIds.next();
            assertThat(id).matches("[0-9a-v]{20}");
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
        assertThat(RequestIds.isWellFormed("abc-DEF_123")).isTrue();
        assertThat(RequestIds.isWellFormed("../etc")).isFalse();
        assertThat(RequestIds.isWellFormed("x".repeat(65))).isFalse();
    }

    @Test
    void mediaUrlsMustBeHttpAndEndInAMediaType() {
        assertThat(RequestValidator.isMediaUrl("https://pbs.twimg.com/media/Ay9wUStCEAEtoPC.jpg")).isTrue();
        assertThat(RequestValidator.isMediaUrl("http://example.org/clip.MP4")).isTrue();
        assertThat(RequestValidator.isMediaUrl("https://example.org/a.jpg?size=large")).isTrue();
        assertThat(RequestValidator.isMediaUrl("https://example.org/jpg")).isFalse();
        assertThat(RequestValidator.isMediaUrl("javascript:alert(1)//.jpg")).isFalse();
        assertThat(RequestValidator.isMediaUrl("file:///etc/passwd.png")).isFalse();
        assertThat(RequestValidator.isMediaUrl("https:///nohost.png")).isFalse();
    }

    @Test
    void aSmallRadiusIsReadCellByCellAndAnswersOnlyThePublicColumns() {
        RequestQuery.Sql near = RequestQuery.build(RequestForm.of(null, "lat=60.17&long=24.94&radius=500&page=2&page_size=50"),
                java.time.Clock.systemUTC(), java.time.ZoneOffset.UTC, code -> true);

        // the four cells around the corner at 60.17, 24.94, each its own branch cut at the end of page 2
        assertThat(near.text().split("UNION ALL", -1)).hasSize(4);
        assertThat(near.parameters()).containsEntry("cell0", 601601246L).containsEntry("cell3", 601701247L)
                .containsEntry("branchLimit", 100L).containsEntry("limit", 50).containsEntry("offset", 50L);
        assertThat(near.text()).contains("(SELECT seq, requested_at FROM service_request WHERE geo_cell = :?cell0 AND ")
                .contains("ORDER BY geo_cell, published, requested_at DESC, seq DESC LIMIT :?branchLimit)")
                .contains(") near ORDER BY requested_at DESC, seq DESC LIMIT :?limit OFFSET :?offset) page");
        // the page's rows: exactly the public columns, never contact data (nor seq, which is for the merge only)
        String answered = near.text().substring("SELECT ".length(), near.text().indexOf(" FROM ("));
        assertThat(answered.replace("r.", "")).isEqualTo(RequestQuery.COLUMNS);
        assertThat(RequestQuery.COLUMNS).doesNotContain("email", "first_name", "last_name", "phone", "seq");
    }

    @Test
    void aWideRadiusWalksTheListIndexAsOtherListsDo() {
        RequestQuery.Sql wide = RequestQuery.build(RequestForm.of(null, "lat=60.17&long=24.94&radius=5000"),
                java.time.Clock.systemUTC(), java.time.ZoneOffset.UTC, code -> true);

        assertThat(wide.text()).doesNotContain("UNION", "geo_cell")
                .contains("ORDER BY published, requested_at DESC, seq DESC LIMIT :?limit OFFSET :?offset");
    }
}
