package pot.login.bench;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import pot.login.domain.AccessToken;
import pot.login.domain.ReturnPath;
import pot.login.domain.SessionId;
import pot.login.domain.Secret;
import pot.login.domain.flow.LoginFlow;
import pot.login.domain.flow.LoginSettings;
import pot.login.domain.port.in.Callback;
import pot.login.domain.port.in.LoginOutcome;
import pot.login.domain.port.in.LoginStarted;
import pot.login.domain.port.out.ExchangeResult;
import pot.login.domain.port.out.LookupResult;
import pot.login.domain.port.out.MarkResult;
import pot.login.domain.port.out.RememberResult;
import pot.login.domain.port.out.SignOutCheck;
import pot.login.domain.port.out.SignedOutSessions;
import pot.login.domain.port.out.VerificationResult;
import pot.login.domain.port.out.VerifiedToken;
import pot.login.domain.state.StateCheck;
import pot.login.domain.state.StateClaims;
import pot.login.domain.state.StateKey;
import pot.login.domain.state.StateKeys;
import pot.login.domain.state.StateSigner;

/**
 * The domain alone, no framework: issuing a state, verifying one (valid and tampered), both together, and the whole
 * {@code CompleteLogin} (steps 6-8) with ports that answer at once (no portal, no network).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StateBenchmark {

    private static final String KEY = "bench-state-key-0123456789abcdef0123456789";

    StateSigner signer;
    StateClaims claims;
    String valid;
    String tampered;
    LoginFlow flow;

    @Setup
    public void setUp() {
        signer = new StateSigner(new StateKeys(List.of(new StateKey("bench-1", Secret.of("bench", KEY)))),
                Duration.ofMinutes(10), Duration.ofSeconds(30));
        byte[] nonce = new byte[StateClaims.NONCE_BYTES];
        new SecureRandom().nextBytes(nonce);
        byte[] binding = new byte[StateClaims.BINDING_BYTES];
        new SecureRandom().nextBytes(binding);
        claims = new StateClaims(Instant.now().truncatedTo(ChronoUnit.SECONDS), nonce, binding,
                ReturnPath.orHome("/reports"));
        valid = signer.sign(claims);
        // One character of the MAC changed: authentic in shape, refused by the HMAC check.
        char last = valid.charAt(valid.length() - 1);
        tampered = valid.substring(0, valid.length() - 1) + (last == 'A' ? 'B' : 'A');
        LoginSettings settings = new LoginSettings(URI.create("http://127.0.0.1:8081/"), "bench-client",
                URI.create("http://localhost:8080/login/complete"), "__Host-pot-session", "http://127.0.0.1:8081",
                true, true, 5);
        Instant tokenExpiry = Instant.now().plus(Duration.ofDays(1));
        flow = new LoginFlow(settings, signer,
                (stateId, expiresAt) -> new MarkResult.Marked(), // a no-op used-state store: every state is new
                (code, verifier) -> new ExchangeResult.Issued(new AccessToken("token-" + code.value()),
                        Duration.ofDays(1)),
                token -> new VerificationResult.Verified(new VerifiedToken("demo", tokenExpiry)),
                (token, subject) -> new LookupResult.TokenRefused(),
                new SignedOutSessions() { // not used by the login steps measured here
                    @Override
                    public RememberResult remember(SessionId session, Instant until) {
                        return new RememberResult.Remembered();
                    }

                    @Override
                    public SignOutCheck check(SessionId session) {
                        return new SignOutCheck.NotSignedOut();
                    }
                },
                Clock.systemUTC(), new SecureRandom());
    }

    /** Per invocation of {@link #completeLogin}: a fresh login started (not measured), so its callback is valid. */
    @State(Scope.Thread)
    public static class StartedLogin {
        Callback callback;

        @Setup(Level.Invocation)
        public void start(StateBenchmark bench) {
            LoginStarted started = bench.flow.start("/reports", Map.of());
            String query = started.portalUri().getRawQuery();
            String state = null;
            for (String pair : query.split("&")) {
                if (pair.startsWith("state=")) {
                    state = java.net.URLDecoder.decode(pair.substring(6), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
            callback = new Callback("code-123", state, null, "http://127.0.0.1:8081",
                    Map.of(started.flowCookie().name(), started.flowCookie().value()));
        }
    }

    @Benchmark
    public String stateIssue() {
        return signer.sign(claims);
    }

    @Benchmark
    public StateCheck stateVerifyValid() {
        return signer.verify(valid, Instant.now());
    }

    @Benchmark
    public StateCheck stateVerifyTampered() {
        return signer.verify(tampered, Instant.now());
    }

    @Benchmark
    public StateCheck stateIssueAndVerify() {
        return signer.verify(signer.sign(claims), Instant.now());
    }

    @Benchmark
    public LoginOutcome completeLogin(StartedLogin login) {
        LoginOutcome outcome = flow.complete(login.callback);
        if (!(outcome instanceof LoginOutcome.Completed)) {
            throw new IllegalStateException("the benchmark's login did not complete: " + outcome);
        }
        return outcome;
    }
}
