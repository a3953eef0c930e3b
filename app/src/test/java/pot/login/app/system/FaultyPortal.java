package pot.login.app.system;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the portal's API root that forwards everything to the real sandbox, except that the token endpoint
 * misbehaves in the way a test selects. The JDK's own HTTP server and client: no dependency, and nothing shared with
 * the Micronaut client under test.
 */
final class FaultyPortal implements AutoCloseable {

    static final String TOKEN_PATH = "/api/auth/v1/oauth/token/request";
    static final String ME_PATH = "/api/me";

    enum Fault {
        NONE, REFUSED, SLOW, STATUS_500, STATUS_503, GARBAGE_200, NO_ACCESS_TOKEN_200, HUGE_200, BAD_TOKEN,
        /** The sandbox's answer, with its access token replaced by the one given to {@link #substitute}. */
        SUBSTITUTED_TOKEN,
        /** The sandbox's answer, with its ID token replaced by the one given to {@link #substituteIdToken}. */
        SUBSTITUTED_ID_TOKEN
    }

    /** Hop-by-hop headers and those the JDK client sets itself (it refuses to be told them). */
    private static final Set<String> NOT_COPIED = Set.of("connection", "content-length", "host", "transfer-encoding",
            "keep-alive", "upgrade", "expect", "te", "trailer", "date");

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ID_TOKEN = Pattern.compile("\"id_token\"\\s*:\\s*\"([^\"]+)\"");

    private final URI sandbox;
    private final HttpClient forward = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "faulty-portal");
        thread.setDaemon(true);
        return thread;
    });
    /** Released on close, so that a SLOW answer still pending does not hold up the shutdown. */
    private final CountDownLatch closing = new CountDownLatch(1);
    private final RSAKey strangersKey;
    private final int port;
    private volatile HttpServer server;
    private volatile Fault fault = Fault.NONE;
    /** Longer than any read timeout a test configures. */
    private static final Duration SLOW_FOR = Duration.ofSeconds(4);
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger userRequests = new AtomicInteger();
    private volatile String substitute;

    private FaultyPortal(URI sandbox) {
        this.sandbox = sandbox;
        try {
            strangersKey = new RSAKeyGenerator(2048).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        this.server = listen(0);
        this.port = server.getAddress().getPort();
    }

    static FaultyPortal inFrontOf(URI sandbox) {
        return new FaultyPortal(sandbox);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Selects how the token endpoint behaves from now on; REFUSED closes the listener, anything else reopens it. */
    synchronized void inject(Fault fault) {
        this.fault = fault;
        if (fault == Fault.REFUSED && server != null) {
            server.stop(0);
            server = null;
        } else if (fault != Fault.REFUSED && server == null) {
            server = listen(port);
        }
    }

    /** From now on the token endpoint lets the sandbox redeem the code, then answers with this token instead. */
    synchronized void substitute(String token) {
        this.substitute = token;
        inject(Fault.SUBSTITUTED_TOKEN);
    }

    /** From now on the token endpoint lets the sandbox redeem the code, then answers with this ID token instead. */
    synchronized void substituteIdToken(String idToken) {
        this.substitute = idToken;
        inject(Fault.SUBSTITUTED_ID_TOKEN);
    }

    /** How many requests reached the token endpoint since the last {@link #resetCount()}. */
    int tokenRequests() {
        return tokenRequests.get();
    }

    /** How many times the app asked the portal who a token is ({@code /api/me}) since the last {@link #resetCount()}. */
    int userRequests() {
        return userRequests.get();
    }

    void resetCount() {
        tokenRequests.set(0);
        userRequests.set(0);
    }

    private HttpServer listen(int onPort) {
        try {
            HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
            created.setExecutor(workers);
            created.createContext("/", this::handle);
            created.start();
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("the faulty portal could not listen on port " + onPort, e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] requestBody = exchange.getRequestBody().readAllBytes();
            if (!exchange.getRequestURI().getPath().equals(TOKEN_PATH)) {
                if (exchange.getRequestURI().getPath().equals(ME_PATH)) {
                    userRequests.incrementAndGet();
                }
                relay(exchange, forwarded(exchange, requestBody), null);
                return;
            }
            tokenRequests.incrementAndGet();
            switch (fault) {
                case NONE, REFUSED -> relay(exchange, forwarded(exchange, requestBody), null);
                case SLOW -> {
                    // Longer than the app's read timeout; the code is never even shown to the sandbox.
                    closing.await(SLOW_FOR.toMillis(), TimeUnit.MILLISECONDS);
                    answer(exchange, 503, "{}".getBytes(StandardCharsets.UTF_8));
                }
                case STATUS_500 -> answer(exchange, 500, "{\"error\":\"server_error\"}".getBytes(StandardCharsets.UTF_8));
                case STATUS_503 -> answer(exchange, 503, "Service Unavailable".getBytes(StandardCharsets.UTF_8));
                case GARBAGE_200 -> answer(exchange, 200, "{not json".getBytes(StandardCharsets.UTF_8));
                case NO_ACCESS_TOKEN_200 -> answer(exchange, 200,
                        "{\"token_type\":\"Bearer\",\"expires_in\":3600}".getBytes(StandardCharsets.UTF_8));
                case HUGE_200 -> answer(exchange, 200, huge());
                case BAD_TOKEN -> relay(exchange, forwarded(exchange, requestBody), this::resignedByAStranger);
                case SUBSTITUTED_TOKEN -> relay(exchange, forwarded(exchange, requestBody),
                        response -> withAccessToken(response, substitute));
                case SUBSTITUTED_ID_TOKEN -> relay(exchange, forwarded(exchange, requestBody),
                        response -> withIdToken(response, substitute));
                default -> throw new IllegalStateException("unknown fault " + fault);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The app hung up first (a timeout, or an answer it refused to read to the end): that is the point.
        }
    }

    private HttpResponse<byte[]> forwarded(HttpExchange exchange, byte[] body) throws IOException,
            InterruptedException {
        URI target = sandbox.resolve(exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(Duration.ofSeconds(10));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_COPIED.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return forward.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void relay(HttpExchange exchange, HttpResponse<byte[]> response,
                       java.util.function.UnaryOperator<String> rewrite) throws IOException {
        response.headers().map().forEach((name, values) -> {
            if (!NOT_COPIED.contains(name.toLowerCase()) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        byte[] body = response.body();
        if (rewrite != null && response.statusCode() == 200) {
            body = rewrite.apply(new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        }
        answer(exchange, response.statusCode(), body);
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** A valid-looking token response padded to 5 MB: five times the client's max content length. */
    private static byte[] huge() {
        String head = "{\"access_token\":\"x\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"padding\":\"";
        String tail = "\"}";
        return (head + " ".repeat(5 * 1024 * 1024) + tail).getBytes(StandardCharsets.UTF_8);
    }

    /** The sandbox's token with the same header and claims, signed by a key the portal never published. */
    private String resignedByAStranger(String tokenResponse) {
        try {
            SignedJWT original = SignedJWT.parse(accessToken(tokenResponse).group(1));
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                    .keyID(original.getHeader().getKeyID())
                    .type(original.getHeader().getType())
                    .build();
            SignedJWT forged = new SignedJWT(header, original.getJWTClaimsSet());
            forged.sign(new RSASSASigner(strangersKey));
            return withAccessToken(tokenResponse, forged.serialize());
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String withAccessToken(String tokenResponse, String token) {
        Matcher matcher = accessToken(tokenResponse);
        return tokenResponse.substring(0, matcher.start(1)) + token + tokenResponse.substring(matcher.end(1));
    }

    private static String withIdToken(String tokenResponse, String idToken) {
        Matcher matcher = ID_TOKEN.matcher(tokenResponse);
        if (!matcher.find()) {
            throw new IllegalStateException("the sandbox's token response has no id_token");
        }
        return tokenResponse.substring(0, matcher.start(1)) + idToken + tokenResponse.substring(matcher.end(1));
    }

    private static Matcher accessToken(String tokenResponse) {
        Matcher matcher = ACCESS_TOKEN.matcher(tokenResponse);
        if (!matcher.find()) {
            throw new IllegalStateException("the sandbox's token response has no access_token");
        }
        return matcher;
    }

    @Override
    public void close() {
        closing.countDown();
        HttpServer listening = server;
        if (listening != null) {
            listening.stop(0);
        }
        workers.shutdownNow();
    }
}
