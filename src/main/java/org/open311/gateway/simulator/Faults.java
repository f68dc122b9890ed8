package org.open311.gateway.simulator;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The fault a simulator plays on its API calls (never on operator calls), switchable at any time. */
final class Faults {

    /** {@code refuse-credentials}: 401 to every API call, as a back end that no longer accepts the gateway's credential. */
    enum Mode { NONE, DOWN, SLOW, ERROR, GARBAGE, REFUSE_CREDENTIALS }

    /** The operator's request body, {@code {"mode": "slow", "delay_ms": 3000}}. */
    record Setting(String mode, Long delayMs) {
    }

    /** Not JSON on purpose, though labelled so: the client's parser must fail. */
    static final String GARBAGE = "<<not json>>";

    private record State(Mode mode, long delayMs) {
    }

    private volatile State state = new State(Mode.NONE, 0);

    /** Sets the fault; {@code slow} needs a positive delay, the other modes ignore it. */
    Map<String, Object> set(String mode, long delayMs) {
        Mode parsed = parse(mode);
        if (parsed == Mode.SLOW && delayMs <= 0) {
            throw new IllegalArgumentException("mode slow needs delay_ms > 0");
        }
        if (delayMs < 0) {
            throw new IllegalArgumentException("delay_ms must not be negative");
        }
        state = new State(parsed, delayMs);
        return describe();
    }

    Map<String, Object> set(Setting setting) {
        return set(setting.mode(), setting.delayMs() == null ? 0 : setting.delayMs());
    }

    private Map<String, Object> describe() {
        State current = state;
        return Map.of("mode", current.mode().name().toLowerCase(Locale.ROOT).replace('_', '-'), "delay_ms", current.delayMs());
    }

    /** How long an API call waits before it is answered: {@code slow}'s delay (the server waits, see SimulatorServer), else 0. */
    long delayMs() {
        State current = state;
        return current.mode() == Mode.SLOW ? current.delayMs() : 0;
    }

    /** The answer the fault puts in place of the real one, if any; {@code slow} has waited already ({@link #delayMs()}). */
    Optional<Answer> intercept() {
        State current = state;
        return switch (current.mode()) {
            case NONE, SLOW -> Optional.empty();
            case DOWN -> Optional.of(Answer.error(503, "unavailable", "simulated outage"));
            case ERROR -> Optional.of(Answer.error(500, "internal_error", "simulated failure"));
            case GARBAGE -> Optional.of(new Answer(200, GARBAGE));
            case REFUSE_CREDENTIALS -> Optional.of(Answer.error(401, "unauthorized", "simulated credential refusal"));
        };
    }

    private static Mode parse(String mode) {
        try {
            return Mode.valueOf(Json.requireText(mode, "mode").toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mode must be one of none, down, slow, error, garbage, refuse-credentials");
        }
    }
}
