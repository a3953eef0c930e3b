package pot.login.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import pot.login.domain.Rejection;
import pot.login.domain.port.out.ExchangeFailure;

/**
 * The login's meters (docs/operations.md, "Metrics"). Every label value comes from a closed set the code names here
 * (a reason code, an outcome, a call), never from a request: a label per user, login or URL would grow without bound.
 */
final class LoginMetrics {

    static final String LOGINS_STARTED = "pot.login.logins.started";
    static final String LOGINS_COMPLETED = "pot.login.logins.completed";
    static final String LOGINS_REFUSED = "pot.login.logins.refused";
    static final String SESSION_RENEWALS = "pot.login.session.renewals";
    static final String SIGN_OUTS = "pot.login.sign.outs";
    static final String PORTAL_CALLS = "pot.login.portal.calls";
    static final String STORE_CALLS = "pot.login.store.calls";

    private final MeterRegistry registry;
    private final Counter started;
    private final Counter completed;
    private final Map<Rejection, Counter> refused = new EnumMap<>(Rejection.class);

    LoginMetrics(MeterRegistry registry) {
        this.registry = registry;
        started = Counter.builder(LOGINS_STARTED).description("Logins sent to the portal").register(registry);
        completed = Counter.builder(LOGINS_COMPLETED).description("Logins that ended signed in").register(registry);
        // Every reason at zero from the start: an alert on a rate needs the series before the first refusal.
        for (Rejection reason : Rejection.values()) {
            refused.put(reason, Counter.builder(LOGINS_REFUSED).description("Callbacks refused, by reason")
                    .tag("reason", reason.code()).register(registry));
        }
    }

    void loginStarted() {
        started.increment();
    }

    void loginCompleted() {
        completed.increment();
    }

    void loginRefused(Rejection reason) {
        refused.get(reason).increment();
    }

    void sessionRenewal(String outcome) {
        Counter.builder(SESSION_RENEWALS).description("Sessions renewed from the refresh cookie, or not, by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }

    void signOut(String outcome) {
        Counter.builder(SIGN_OUTS).description("Sign-outs of a session, by outcome").tag("outcome", outcome)
                .register(registry).increment();
    }

    /** Times a call to the portal; {@code outcome} names its result. */
    <T> T portalCall(String call, Supplier<T> body, Function<T, String> outcome) {
        return timed(PORTAL_CALLS, "Calls to the portal (the provider), by call and outcome", call, body, outcome);
    }

    /** Times a call to the used-state or signed-out-session store; {@code outcome} names its result. */
    <T> T storeCall(String call, Supplier<T> body, Function<T, String> outcome) {
        return timed(STORE_CALLS, "Calls to the state and sign-out store, by call and outcome", call, body, outcome);
    }

    /** The portal outcomes: what {@link ExchangeFailure} tells apart, and {@code ok}. */
    static String outcomeOf(ExchangeFailure failure) {
        return switch (failure) {
            case CODE_REJECTED, CLIENT_REJECTED -> "refused";
            case PORTAL_TIMEOUT -> "timeout";
            case PORTAL_UNAVAILABLE -> "unavailable";
            case PORTAL_BAD_RESPONSE -> "bad_response";
        };
    }

    /** The same for a user lookup's failure, which can only be one of the portal's own reasons. */
    static String outcomeOf(Rejection reason) {
        return switch (reason) {
            case PORTAL_TIMEOUT -> "timeout";
            case PORTAL_BAD_RESPONSE -> "bad_response";
            default -> "unavailable";
        };
    }

    private <T> T timed(String name, String description, String call, Supplier<T> body, Function<T, String> outcome) {
        Timer.Sample sample = Timer.start(registry);
        T result = body.get();
        // The ports answer every failure as a value; an exception is a bug and is not counted as an outcome.
        sample.stop(Timer.builder(name).description(description).tag("call", call).tag("outcome", outcome.apply(result))
                .publishPercentileHistogram().register(registry));
        return result;
    }
}
