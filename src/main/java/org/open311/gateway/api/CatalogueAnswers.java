package org.open311.gateway.api;

import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.catalogue.Language;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The catalogue's successful answers as bytes, written once per catalogue version, language and format:
 * the catalogue changes only when its admins edit {@code mappings/}, while apps read {@code services.json}
 * all day. A reloaded catalogue starts a new memo, so an answer never mixes two versions. Only answers
 * for services that exist are kept, so the memo is bounded by the catalogue's size.
 */
public final class CatalogueAnswers {

    private enum Kind { DISCOVERY, SERVICES, DEFINITION }

    private record Key(Kind kind, String code, Language language, ApiFormat format) {
    }

    /** An answer's bytes and its ETag, a digest of them taken once when it is written. */
    public record Answer(byte[] body, String etag) {
        static Answer of(byte[] body) {
            return new Answer(body, Caching.etagOf(body));
        }
    }

    private record Memo(Catalogue catalogue, ConcurrentMap<Key, Answer> answers) {
    }

    private final CatalogueApi catalogue;
    private final DiscoveryApi discovery;
    private final ApiResponder responder;
    private volatile Memo memo = new Memo(null, new ConcurrentHashMap<>());

    public CatalogueAnswers(CatalogueApi catalogue, DiscoveryApi discovery, ApiResponder responder) {
        this.catalogue = catalogue;
        this.discovery = discovery;
        this.responder = responder;
    }

    public Answer discovery(ApiFormat format) {
        return memo().answers.computeIfAbsent(new Key(Kind.DISCOVERY, "", Language.EN, format),
                key -> Answer.of(responder.bytes(format, discovery.discovery())));
    }

    public Answer services(String locale, ApiFormat format) {
        Memo current = memo();
        Language language = Language.fromLocale(locale);
        return current.answers.computeIfAbsent(new Key(Kind.SERVICES, "", language, format),
                key -> Answer.of(responder.bytes(format, catalogue.services(current.catalogue, language))));
    }

    /** The service's definition, or empty when no active service has that code (the route answers the 404). */
    public Optional<Answer> definition(String code, String locale, ApiFormat format) {
        Memo current = memo();
        if (code == null || current.catalogue.activeService(code).isEmpty()) {
            return Optional.empty();
        }
        Language language = Language.fromLocale(locale);
        return Optional.of(current.answers.computeIfAbsent(new Key(Kind.DEFINITION, code, language, format),
                key -> Answer.of(responder.bytes(format, catalogue.definition(current.catalogue, code, language)))));
    }

    private Memo memo() {
        Catalogue current = catalogue.current();
        Memo kept = memo;
        if (kept.catalogue != current) {
            kept = new Memo(current, new ConcurrentHashMap<>());
            memo = kept;
        }
        return kept;
    }
}
