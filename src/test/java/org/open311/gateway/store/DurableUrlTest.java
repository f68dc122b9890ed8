package org.open311.gateway.store;

import org.junit.jupiter.api.Test;
import org.open311.gateway.SettingException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Database#durableUrl}: every H2 store on disk writes each commit before it is answered. */
class DurableUrlTest {

    @Test
    void anH2FileUrlWithoutWriteDelayGetsZero() {
        assertThat(Database.durableUrl("jdbc:h2:file:./data/open311;AUTO_SERVER=TRUE"))
                .isEqualTo("jdbc:h2:file:./data/open311;AUTO_SERVER=TRUE;WRITE_DELAY=0");
        assertThat(Database.durableUrl("jdbc:h2:file:./data/open311")).isEqualTo("jdbc:h2:file:./data/open311;WRITE_DELAY=0");
        assertThat(Database.durableUrl("jdbc:h2:file:./data/open311;")).isEqualTo("jdbc:h2:file:./data/open311;WRITE_DELAY=0");
        assertThat(Database.durableUrl("jdbc:h2:./data/open311")).isEqualTo("jdbc:h2:./data/open311;WRITE_DELAY=0");
        assertThat(Database.durableUrl("jdbc:h2:~/open311")).isEqualTo("jdbc:h2:~/open311;WRITE_DELAY=0");
        assertThat(Database.durableUrl("JDBC:H2:tcp://db.example.org/open311")).isEqualTo("JDBC:H2:tcp://db.example.org/open311;WRITE_DELAY=0");
    }

    @Test
    void anH2UrlWithWriteDelayZeroIsKeptAsItIs() {
        for (String url : new String[]{"jdbc:h2:file:./data/open311;AUTO_SERVER=TRUE;WRITE_DELAY=0",
                "jdbc:h2:file:./data/open311;write_delay = 0;AUTO_SERVER=TRUE"}) {
            assertThat(Database.durableUrl(url)).isEqualTo(url);
        }
    }

    @Test
    void anH2UrlWithAnotherWriteDelayIsRefusedNamingTheSetting() {
        for (String url : new String[]{"jdbc:h2:file:./data/open311;WRITE_DELAY=500", "jdbc:h2:./x;write_delay=1;AUTO_SERVER=TRUE",
                "jdbc:h2:file:./x;WRITE_DELAY=", "jdbc:h2:file:./x;WRITE_DELAY=0;WRITE_DELAY=200"}) {
            assertThatThrownBy(() -> Database.durableUrl(url)).as(url).isInstanceOf(SettingException.class)
                    .hasMessageContaining("gateway.db.url").hasMessageContaining("GATEWAY_DB_URL").hasMessageContaining("WRITE_DELAY");
        }
        assertThatThrownBy(() -> Database.durableUrl("jdbc:h2:file:./data/open311;PASSWORD=hidden;WRITE_DELAY=500"))
                .hasMessageNotContaining("hidden").hasMessageContaining("WRITE_DELAY=500");
    }

    @Test
    void inMemoryAndOtherDatabasesAreLeftAlone() {
        for (String url : new String[]{"jdbc:h2:mem:plans;DB_CLOSE_DELAY=-1", "jdbc:h2:tcp://localhost/mem:test",
                "jdbc:postgresql://db:5432/open311", "jdbc:postgresql://db:5432/open311?options=-c%20WRITE_DELAY=5"}) {
            assertThat(Database.durableUrl(url)).isEqualTo(url);
        }
    }
}
