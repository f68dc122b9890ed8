package org.open311.gateway.requests;

import org.junit.jupiter.api.Test;
import org.open311.gateway.SettingException;
import org.open311.gateway.api.ApiException;
import org.open311.gateway.api.ApiResponder;
import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.catalogue.LiveCatalogue;
import org.open311.gateway.media.MediaStore;
import org.open311.gateway.media.UploadCapture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The validator holds every value to the limits the store's columns are sized for. */
class InputLimitsTest {

    private static final String EMOJI = "\uD83D\uDE00";
    private static final Catalogue CATALOGUE = new LiveCatalogue(Path.of("mappings")).current();

    private static Map<String, List<String>> valid() {
        Map<String, List<String>> form = new HashMap<>();
        form.put("service_code", List.of("171"));
        form.put("description", List.of("Syvä kuoppa pyörätiellä"));
        form.put("lat", List.of("60.17"));
        form.put("long", List.of("24.94"));
        form.put("attribute[size]", List.of("small"));
        return form;
    }

    private static List<String> problems(Map<String, List<String>> form, Catalogue catalogue) {
        try {
            RequestValidator.validate(new RequestForm(form), catalogue);
            return List.of();
        } catch (ApiException e) {
            return e.errors().stream().map(error -> error.description()).toList();
        }
    }

    @Test
    void lengthsCountUtf16UnitsAsTheColumnsOfBothStoresHoldThem() {
        Map<String, List<String>> atLimit = valid();
        atLimit.put("description", List.of(EMOJI.repeat(2500)));
        atLimit.put("title", List.of(EMOJI.repeat(100)));
        atLimit.put("locale", List.of("x".repeat(16)));
        Map<String, List<String>> past = valid();
        past.put("description", List.of(EMOJI.repeat(2500) + "a"));
        past.put("title", List.of(EMOJI.repeat(100) + "a"));
        past.put("locale", List.of("x".repeat(17)));

        assertThat(problems(atLimit, CATALOGUE)).isEmpty();
        assertThat(problems(past, CATALOGUE)).containsExactly("description: must be 10 to 5000 characters long, was 5001",
                "title: at most 200 characters", "locale: at most 16 characters");
    }

    @Test
    void attributeAnswersAreBoundedOneByOneAndTogether(@org.junit.jupiter.api.io.TempDir Path mappings) throws Exception {
        Files.copy(Path.of("src/test/resources/fixtures/mappings/statuses.yaml"), mappings.resolve("statuses.yaml"));
        String questions = IntStream.rangeClosed(1, 11).mapToObj(i -> "      - {code: q" + i + ", order: " + i
                + ", datatype: text, description: {en: Q" + i + "}}").collect(Collectors.joining("\n"));
        Files.writeString(mappings.resolve("services.yaml"), """
                groups:
                  g: {name: {en: G}}
                services:
                  - code: "1"
                    group: g
                    name: {en: Many questions}
                    description: {en: Many long answers.}
                    routing: {crm_category: OTHER}
                    attributes:
                """ + questions + "\n");
        Catalogue many = new LiveCatalogue(mappings).current();
        Map<String, List<String>> form = valid();
        form.put("service_code", List.of("1"));
        form.remove("attribute[size]");
        IntStream.rangeClosed(1, 10).forEach(i -> form.put("attribute[q" + i + "]", List.of("\"".repeat(5000))));
        Map<String, List<String>> nine = new HashMap<>(form);
        nine.remove("attribute[q10]");
        Map<String, List<String>> controlAndTooLong = valid();
        controlAndTooLong.put("service_code", List.of("1"));
        controlAndTooLong.remove("attribute[size]");
        controlAndTooLong.put("attribute[q1]", List.of("a\u0007b"));
        controlAndTooLong.put("attribute[q2]", List.of("x".repeat(5001)));

        // each answer within its limit, but ten of them in quotes (escaped: 10,002 characters each) overflow the column
        assertThat(problems(form, many)).containsExactly("attribute: the answers together are longer than the 100000 characters the gateway keeps");
        assertThat(problems(nine, many)).isEmpty();
        assertThat(problems(controlAndTooLong, many)).containsExactly("attribute[q1]: must not contain control characters",
                "attribute[q2]: at most 5000 characters");
    }

    @Test
    void aMultivaluelistAnswerNamesEachValueAtMostOnce() {
        Map<String, List<String>> form = valid();
        form.put("service_code", List.of("210"));
        form.remove("attribute[size]");
        List<String> twice = new ArrayList<>(List.of("swing", "swing"));
        form.put("attribute[equipment][]", twice);
        form.put("attribute[injury_risk]", List.of("yes"));

        assertThat(problems(form, CATALOGUE)).containsExactly("attribute[equipment]: each value at most once");
    }

    @Test
    void uploadsThatWouldNotFitBesideTheMostMediaUrlsStopTheStart(@org.junit.jupiter.api.io.TempDir Path media) {
        assertThat(InputLimits.mediaUrlsFit(5, 100)).isTrue();
        assertThat(InputLimits.mediaUrlsFit(500, 100)).isFalse();
        MediaStore tooMany = new MediaStore(media, "https://palaute.example.org/open311/v1", 500, 1000);

        assertThatThrownBy(() -> new RequestApi(null, null, Clock.systemUTC(), new UploadCapture(), tooMany, null, new ApiResponder()))
                .isInstanceOf(SettingException.class).hasMessageStartingWith("gateway.media.max-files: 500 uploads");
    }
}
