package org.open311.gateway.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.catalogue.CatalogueLoader;
import org.open311.gateway.catalogue.ServiceEntry;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;

/**
 * Writes a realistic benchmark data set as a GeoReport v2 export ({@code requests.json?extensions=true}
 * shape), for the import command: requests over the last two years, every catalogue service, Helsinki
 * coordinates, mixed statuses, Aspa tasks on public works, media URLs, long Finnish descriptions.
 * Deterministic for a seed. Streams, so a million requests need no memory.
 * <p>{@code java -cp target/open311-gateway.jar org.open311.gateway.bench.SeedGenerator COUNT SEED MAPPINGS_DIR OUT|-}
 */
public final class SeedGenerator {

    private static final ZoneId HELSINKI = ZoneId.of("Europe/Helsinki");
    /** Two years. */
    private static final double SPAN_SECONDS = 730 * 86_400.0;
    private static final char[] ID_ALPHABET = "0123456789abcdefghijklmnopqrstuv".toCharArray();
    private static final List<String> SENTENCES = List.of(
            "Pyörätien keskellä on syvä kuoppa, johon pyörän eturengas juuttui aamulla.",
            "Kuoppa on kasvanut viime viikkojen sateiden aikana ja on nyt noin puoli metriä leveä.",
            "Pimeällä sitä ei näe lainkaan, koska katuvalo kulman takana on ollut rikki jo pitkään.",
            "Useampi jalankulkija on kompastunut tässä kohdassa, viimeksi eilen iltapäivällä.",
            "Roska-astiat ovat olleet täynnä koko viikonlopun ja roskia lentelee pitkin puistoa.",
            "Leikkipuiston keinun ketju on katkennut ja istuin roikkuu vinossa lasten ulottuvilla.",
            "Sillan kaiteeseen on ilmestynyt yöllä suuria töhryjä, jotka näkyvät kauas rantaan.",
            "Jalkakäytävän laatat ovat irronneet ja nousseet reunoiltaan, mikä on vaarallista rollaattorin kanssa.",
            "Katuvalo välkkyy koko illan ja sammuu välillä kokonaan, jolloin risteys on aivan pimeä.",
            "Hulevesikaivo on tukossa ja vesi nousee sateella kadulle asti, jopa kymmenen senttiä.",
            "Puiston penkin selkänoja on rikottu ja irronneet laudat ovat maassa naulat ylöspäin.",
            "Liikennevalot palavat jalankulkijoille punaisella jatkuvasti eikä painike toimi.",
            "Hylätty polkupyörä on ollut lukittuna telineeseen ilman renkaita jo useita kuukausia.",
            "Talvella tässä kohdassa on aina paksu jääkerros, koska räystäältä valuu vettä jalkakäytävälle.",
            "Asukkaat toivovat, että asia korjataan ennen koulujen alkua, koska reitti on koululaisten käytössä.",
            "Kiitos etukäteen nopeasta toiminnasta, liitin mukaan kuvan tilanteesta.",
            "Sama vika on ilmoitettu jo aiemmin keväällä, mutta mitään ei ole tapahtunut.",
            "Paikka on aivan raitiovaunupysäkin vieressä, joten ohikulkijoita on paljon koko päivän.",
            "Ääni kuuluu öisin makuuhuoneeseen asti ja häiritsee koko taloyhtiön unta.",
            "Työmaan aitaus on kaatunut ajoradalle ja autot joutuvat kiertämään sen vastaantulevien kaistalla.");
    private static final List<String> STREETS = List.of("Hämeentie", "Mannerheimintie", "Aleksanterinkatu",
            "Mechelininkatu", "Tukholmankatu", "Itäväylä", "Kustaa Vaasan tie", "Mäkelänkatu", "Lauttasaarentie",
            "Siltasaarenkatu", "Fleminginkatu", "Sturenkatu", "Pohjoisesplanadi", "Runeberginkatu", "Kaisaniemenkatu");
    private static final List<String> ANSWERS = List.of(
            "Kiitos palautteesta. Vika on korjattu.",
            "Kiitos ilmoituksesta. Asia on välitetty urakoitsijalle ja korjaus on tehty.",
            "Kohde on tarkastettu, eikä se vaadi toimenpiteitä tällä hetkellä.",
            "Ilmoitus on yhdistetty aiempaan samaa kohdetta koskevaan palautteeseen.");

    private final Random random;
    private final List<ServiceEntry> services;
    private final OffsetDateTime now = OffsetDateTime.now(HELSINKI).truncatedTo(ChronoUnit.SECONDS);

    SeedGenerator(long seed, Catalogue catalogue) {
        this.random = new Random(seed);
        this.services = catalogue.activeServices();
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: SeedGenerator COUNT SEED MAPPINGS_DIR OUT|-");
            System.exit(2);
        }
        SeedGenerator generator = new SeedGenerator(Long.parseLong(args[1]), CatalogueLoader.load(Path.of(args[2])));
        OutputStream out = "-".equals(args[3]) ? System.out : Files.newOutputStream(Path.of(args[3]));
        try (OutputStream buffered = new BufferedOutputStream(out, 1 << 16)) {
            generator.write(Long.parseLong(args[0]), buffered);
        }
    }

    /** Oldest first, as requests arrived in the old system (rows are stored near their neighbours in time). */
    void write(long count, OutputStream out) throws IOException {
        double secondsApart = SPAN_SECONDS / count;
        try (JsonGenerator json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartArray();
            for (long i = 0; i < count; i++) {
                request(json, now.minusSeconds((long) (SPAN_SECONDS - (i + random.nextDouble()) * secondsApart)));
            }
            json.writeEndArray();
        }
    }

    private void request(JsonGenerator json, OffsetDateTime requested) throws IOException {
        ServiceEntry service = services.get(random.nextInt(services.size()));
        boolean publicWorks = service.routing() != null && service.routing().isPublicWorks();
        long ageDays = ChronoUnit.DAYS.between(requested, now);
        boolean closed = random.nextDouble() < Math.min(0.95, 0.2 + ageDays / 60.0);
        String crmStatus = closed ? pick("PROCESSED", "PROCESSED", "PROCESSED", "ARCHIVED", "REJECTED")
                : pick("RECEIVED", "IN_PROCESS", "IN_PROCESS");
        OffsetDateTime updated = min(requested.plusMinutes(random.nextInt(60 * 24 * 30)), now);
        boolean hasTask = publicWorks && !crmStatus.equals("RECEIVED") && random.nextDouble() < 0.7;
        String aspaStatus = !hasTask ? null : closed
                ? pick("PUBLIC_WORKS_COMPLETED", "PUBLIC_WORKS_COMPLETED", "PUBLIC_WORKS_COMPLETED_REQUIRES_NO_ACTION",
                        "PUBLIC_WORKS_COMPLETED_SCHEDULED_LATER", "PUBLIC_WORKS_INTERRUPTED")
                : pick("PUBLIC_WORKS_NEW", "PUBLIC_WORKS_IN_PROGRESS");
        String id = id();
        int photos = random.nextDouble() < 0.35 ? 1 + random.nextInt(3) : 0;

        json.writeStartObject();
        json.writeStringField("service_request_id", id);
        json.writeStringField("status", closed ? "closed" : "open");
        json.writeStringField("status_notes", closed ? ANSWERS.get(random.nextInt(ANSWERS.size())) : "");
        json.writeStringField("service_code", service.code());
        json.writeStringField("description", description());
        json.writeStringField("agency_responsible", "Kaupunkiympäristö");
        json.writeStringField("service_notice", "");
        json.writeStringField("requested_datetime", format(requested));
        json.writeStringField("updated_datetime", format(updated));
        if (!closed && random.nextDouble() < 0.3) {
            json.writeStringField("expected_datetime", format(now.plusDays(1 + random.nextInt(60))));
        }
        json.writeStringField("address", STREETS.get(random.nextInt(STREETS.size())) + " " + (1 + random.nextInt(120)) + ", Helsinki");
        // Helsinki: denser towards the centre
        json.writeNumberField("lat", round(60.1699 + gaussian(0.035, 0.10)));
        json.writeNumberField("long", round(24.9384 + gaussian(0.07, 0.20)));
        if (photos > 0) {
            json.writeStringField("media_url", mediaUrl(id, 0));
        }
        json.writeObjectFieldStart("extended_attributes");
        json.writeStringField("detailed_status", aspaStatus == null ? crmStatus : crmStatus + "," + aspaStatus);
        json.writeBooleanField("published", random.nextDouble() < 0.92);
        json.writeArrayFieldStart("media_urls");
        for (int p = 0; p < photos; p++) {
            json.writeString(mediaUrl(id, p));
        }
        json.writeEndArray();
        json.writeArrayFieldStart("tasks");
        if (hasTask) {
            json.writeStartObject();
            json.writeStringField("task_type", service.routing().aspaWorkType());
            json.writeStringField("task_state", aspaStatus);
            json.writeStringField("task_created", format(min(requested.plusHours(2 + random.nextInt(72)), now)));
            json.writeStringField("task_modified", format(updated));
            json.writeStringField("owner_name", "Työryhmä " + (1 + random.nextInt(12)));
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeEndObject();
    }

    /** 1 to 12 sentences: from a short note to a long, detailed account (about 70 to 1,100 characters). */
    private String description() {
        int sentences = 1 + (int) Math.min(11, Math.abs(random.nextGaussian()) * 5);
        StringBuilder text = new StringBuilder();
        for (int s = 0; s < sentences; s++) {
            text.append(s == 0 ? "" : " ").append(SENTENCES.get(random.nextInt(SENTENCES.size())));
        }
        return text.toString();
    }

    private String id() {
        char[] id = new char[20];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_ALPHABET[random.nextInt(ID_ALPHABET.length)];
        }
        return new String(id);
    }

    private static String mediaUrl(String id, int index) {
        return "https://palautteet.example.fi/media/" + id + "-" + index + ".jpg";
    }

    private double gaussian(double sigma, double limit) {
        return Math.max(-limit, Math.min(limit, random.nextGaussian() * sigma));
    }

    private static double round(double degrees) {
        return Math.round(degrees * 1e6) / 1e6;
    }

    private String pick(String... values) {
        return values[random.nextInt(values.length)];
    }

    private static OffsetDateTime min(OffsetDateTime a, OffsetDateTime b) {
        return a.isBefore(b) ? a : b;
    }

    private static String format(OffsetDateTime time) {
        return time.atZoneSameInstant(HELSINKI).toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
}
