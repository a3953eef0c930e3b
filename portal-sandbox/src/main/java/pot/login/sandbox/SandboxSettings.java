package pot.login.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a sandbox portal runs: where it listens, the issuer it names in tokens and callbacks ({@code null}: its own
 * base URI, known once it listens), its clients and users, how long codes and tokens live, how many codes one user
 * may hold pending at one client (a new sign-in drops the oldest), and the clock that says when codes and tokens
 * expire (the system's; a test moves its own instead of waiting), and whether it issues refresh tokens (RFC 6749 §6,
 * rotated on every use; off by default, as Platform of Trust's portal issues none).
 */
public record SandboxSettings(String host, int port, String issuer, List<RegisteredClient> clients,
                              List<DemoUser> users, Duration codeLifetime, int pendingCodesPerUser,
                              Duration tokenLifetime, Clock clock, boolean refreshTokens) {

    /**
     * A hundredth of the whole pool ({@link AuthorizationCodes#MAX_PENDING}): no user comes near filling it alone, and
     * pushing out anyone else's code through the pool's own bound takes at least a hundred (client, user) pairs.
     */
    static final int MAX_PENDING_CODES_PER_USER = AuthorizationCodes.MAX_PENDING / 100;

    public SandboxSettings {
        RegisteredClient.requireText(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is outside 0 (any free port) to 65535");
        }
        if (issuer != null) {
            RegisteredClient.requireText(issuer, "issuer");
        }
        clients = List.copyOf(Objects.requireNonNull(clients, "clients"));
        users = List.copyOf(Objects.requireNonNull(users, "users"));
        requireUnique(clients, RegisteredClient::clientId, "client id");
        requireUnique(users, DemoUser::username, "username");
        if (clients.isEmpty() || users.isEmpty()) {
            throw new IllegalArgumentException("the sandbox has " + clients.size() + " clients and " + users.size()
                    + " users: it needs one of each at least");
        }
        Objects.requireNonNull(codeLifetime, "codeLifetime");
        Objects.requireNonNull(tokenLifetime, "tokenLifetime");
        if (codeLifetime.isNegative() || codeLifetime.isZero()) {
            throw new IllegalArgumentException("codeLifetime is not positive: " + codeLifetime);
        }
        if (pendingCodesPerUser < 1) {
            throw new IllegalArgumentException("pendingCodesPerUser is " + pendingCodesPerUser
                    + ": a user could never sign in");
        }
        if (pendingCodesPerUser > MAX_PENDING_CODES_PER_USER) {
            throw new IllegalArgumentException("pendingCodesPerUser is " + pendingCodesPerUser + ", over "
                    + MAX_PENDING_CODES_PER_USER + ": one user could hold a large share of all pending codes");
        }
        // Tokens carry exp in whole seconds (and expires_in says how many).
        if (tokenLifetime.toSeconds() < 1) {
            throw new IllegalArgumentException("tokenLifetime is under one second: " + tokenLifetime);
        }
        Objects.requireNonNull(clock, "clock");
    }

    /**
     * {@code http://127.0.0.1:8081}, the demo client and the demo user, codes for 60 s, at most 10 of them pending per
     * user and client, and tokens for a day.
     */
    public static SandboxSettings defaults() {
        return new SandboxSettings("127.0.0.1", 8081, null, List.of(RegisteredClient.demo()),
                List.of(DemoUser.demo()), Duration.ofSeconds(60), 10, Duration.ofDays(1), Clock.systemUTC(), false);
    }

    /**
     * The defaults, with host, port and issuer taken from the system properties {@code portal-sandbox.host},
     * {@code .port} and {@code .issuer}, or else the environment variables {@code PORTAL_SANDBOX_HOST}, {@code _PORT}
     * and {@code _ISSUER} (the precedence Micronaut gives the two); {@code portal-sandbox.redirect-uri}
     * ({@code PORTAL_SANDBOX_REDIRECT_URI}) is the demo client's one redirect URI instead of
     * {@code http://localhost:8080/login/complete}, for an app (or a balancer in front of several) on another port.
     */
    public static SandboxSettings fromEnvironment() {
        return fromEnvironment(name -> Optional.ofNullable(System.getProperty("portal-sandbox." + name))
                .orElseGet(() -> System.getenv("PORTAL_SANDBOX_" + name.toUpperCase(Locale.ROOT).replace('-', '_'))));
    }

    static SandboxSettings fromEnvironment(Function<String, String> setting) {
        SandboxSettings settings = defaults();
        String host = setting.apply("host");
        String port = setting.apply("port");
        String issuer = setting.apply("issuer");
        String redirectUri = setting.apply("redirect-uri");
        if (host != null) {
            settings = settings.withHost(host);
        }
        if (port != null) {
            try {
                settings = settings.withPort(Integer.parseInt(port.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("portal-sandbox.port is not a number: " + port, e);
            }
        }
        if (redirectUri != null) {
            RegisteredClient demo = RegisteredClient.demo();
            settings = settings.withClients(List.of(
                    new RegisteredClient(demo.clientId(), demo.clientSecret(), List.of(redirectUri.trim()))));
        }
        return issuer == null ? settings : settings.withIssuer(issuer);
    }

    public SandboxSettings withHost(String host) {
        return new SandboxSettings(host, port, issuer, clients, users, codeLifetime, pendingCodesPerUser, tokenLifetime,
                clock, refreshTokens);
    }

    public SandboxSettings withPort(int port) {
        return new SandboxSettings(host, port, issuer, clients, users, codeLifetime, pendingCodesPerUser, tokenLifetime,
                clock, refreshTokens);
    }

    public SandboxSettings withIssuer(String issuer) {
        return new SandboxSettings(host, port, issuer, clients, users, codeLifetime, pendingCodesPerUser, tokenLifetime,
                clock, refreshTokens);
    }

    public SandboxSettings withClients(List<RegisteredClient> clients) {
        return new SandboxSettings(host, port, issuer, clients, users, codeLifetime, pendingCodesPerUser, tokenLifetime,
                clock, refreshTokens);
    }

    public SandboxSettings withUsers(List<DemoUser> users) {
        return new SandboxSettings(host, port, issuer, clients, users, codeLifetime, pendingCodesPerUser, tokenLifetime,
                clock, refreshTokens);
    }

    public SandboxSettings withCodeLifetime(Duration codeLifetime) {
        return new SandboxSettings(host, port, issuer, clients, users, codeLifetime, pendingCodesPerUser, tokenLifetime,
                clock, refreshTokens);
    }

    /** How many codes one user may hold pending at one client; a sign-in beyond them drops the oldest. */
    public SandboxSettings withPendingCodesPerUser(int pendingCodesPerUser) {
        return new SandboxSettings(host, port, issuer, clients, users, codeLifetime, pendingCodesPerUser, tokenLifetime,
                clock, refreshTokens);
    }

    public SandboxSettings withTokenLifetime(Duration tokenLifetime) {
        return new SandboxSettings(host, port, issuer, clients, users, codeLifetime, pendingCodesPerUser, tokenLifetime,
                clock, refreshTokens);
    }

    public SandboxSettings withClock(Clock clock) {
        return new SandboxSettings(host, port, issuer, clients, users, codeLifetime, pendingCodesPerUser, tokenLifetime,
                clock, refreshTokens);
    }

    /**
     * Whether token responses carry a refresh token, as most OIDC providers' do. Each refresh token is single use: a
     * refresh answers a new one, and presenting a used one is refused ({@code invalid_grant}) and revokes the new one
     * too (RFC 9700 §4.14.2, reuse detection).
     */
    public SandboxSettings withRefreshTokens(boolean refreshTokens) {
        return new SandboxSettings(host, port, issuer, clients, users, codeLifetime, pendingCodesPerUser, tokenLifetime,
                clock, refreshTokens);
    }

    Optional<RegisteredClient> client(String clientId) {
        return clients.stream().filter(client -> client.clientId().equals(clientId)).findFirst();
    }

    Optional<DemoUser> user(String username) {
        return users.stream().filter(user -> user.username().equals(username)).findFirst();
    }

    private static <T> void requireUnique(List<T> items, Function<T, String> key, String what) {
        var seen = new HashSet<String>();
        for (T item : items) {
            if (!seen.add(key.apply(item))) {
                throw new IllegalArgumentException("duplicate " + what + ": " + key.apply(item));
            }
        }
    }
}
