package pot.login.app.hostile;

import pot.login.app.system.PotLoginWithSandbox;

import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import pot.login.domain.FlowCookie;
import pot.login.domain.ReturnPath;
import pot.login.domain.Secret;
import pot.login.domain.state.StateClaims;
import pot.login.domain.state.StateKey;
import pot.login.domain.state.StateKeys;
import pot.login.domain.state.StateSigner;

/**
 * The generator of {@link HostileCallbacksTest}: from a few real logins, callbacks to {@code /login/complete} that are
 * malformed, truncated, re-signed, re-encoded, oversized or mixed up. Every callback starts from real material (a
 * real login's state, flow cookie, code and {@code iss}, or a started login's state and flow cookie) and gets one
 * mutation that makes it wrong, then up to two more of any kind. A callback that could still be a real login's own,
 * untouched (the same values once decoded as the server decodes them), gets more mutations or is made anew: that one
 * is supposed to succeed, and nothing this generator makes is. Each stays under the app's request-line and header
 * limits, so that it reaches the app's own code; oversized requests are tested on their own.
 *
 * <p>A fixed seed makes every choice, so the mutations at each index are the same on every run; the bytes differ only
 * where the real logins' random states and the clock go in.
 */
final class HostileCallbacks {

    static final String SESSION_COOKIE = "__Host-pot-session";
    static final String KEY_ID = "system-1";
    static final Duration MAX_AGE = Duration.ofMinutes(10);
    /** The state format's version (ADR-0002, ADR-0005). */
    static final byte VERSION = 2;
    /** Under the app's 8 KB request line (micronaut.server.netty.max-initial-line-length), with room for the path. */
    static final int QUERY_BUDGET = 7_800;
    /** Under the app's 16 KB header block (micronaut.server.netty.max-header-size). */
    static final int COOKIE_BUDGET = 12_000;

    /** One real login as its browser and the portal left it; {@code code} and {@code iss} are null before the portal. */
    record RealLogin(String state, String flowCookieName, String flowCookieValue, String code, String iss) {

        boolean finished() {
            return code != null;
        }
    }

    /**
     * One generated callback, ready to send.
     *
     * @param rawQuery     the query exactly as it goes on the wire
     * @param cookieHeader the Cookie header's value, or null for none
     * @param submitted    the state, code, iss and error values it carries (decoded and as sent), for the echo check
     */
    record Hostile(int index, String rawQuery, String cookieHeader, String accept, List<String> mutations,
                   List<String> submitted) {

        String describe() {
            return "#" + index + " " + mutations + " query=" + shorten(rawQuery, 400) + " cookie="
                    + (cookieHeader == null ? "none" : shorten(cookieHeader, 300)) + " accept=" + accept;
        }
    }

    private record Param(String name, String wire) {
        String text() {
            return wire == null ? name : name + "=" + wire;
        }
    }

    private record Crumb(String name, String value) {
        String text() {
            return name + "=" + value;
        }
    }

    /** A callback being built: query parameters and cookies as they will be written on the wire. */
    private static final class Draft {
        final List<Param> params = new ArrayList<>();
        final List<Crumb> cookies = new ArrayList<>();
        String rawTail = "";
        final List<String> mutations = new ArrayList<>();

        String query() {
            return params.stream().map(Param::text).collect(Collectors.joining("&")) + rawTail;
        }

        String cookieHeader() {
            return cookies.isEmpty() ? null : cookies.stream().map(Crumb::text).collect(Collectors.joining("; "));
        }

        int firstIndex(String name) {
            for (int i = 0; i < params.size(); i++) {
                if (params.get(i).name().equals(name)) {
                    return i;
                }
            }
            return -1;
        }

        /** The first value of a parameter, decoded; null when absent or not decodable. */
        String decoded(String name) {
            int i = firstIndex(name);
            return i < 0 || params.get(i).wire() == null ? null : decode(params.get(i).wire());
        }

        void setWire(String name, String wire) {
            int i = firstIndex(name);
            if (i < 0) {
                params.add(new Param(name, wire));
            } else {
                params.set(i, new Param(name, wire));
            }
        }

        void set(String name, String value) {
            setWire(name, encode(value));
        }

        void remove(String name) {
            params.removeIf(param -> param.name().equals(name));
        }

        void dropFlowCookies() {
            cookies.removeIf(crumb -> FlowCookie.isFlowCookie(crumb.name()));
        }

        Crumb flowCookie() {
            return cookies.stream().filter(crumb -> FlowCookie.isFlowCookie(crumb.name())).findFirst().orElse(null);
        }

        void replaceFlowCookie(Crumb replacement) {
            dropFlowCookies();
            if (replacement != null) {
                cookies.add(0, replacement);
            }
        }
    }

    private record Mutation(String name, BiPredicate<Draft, Random> apply) {
    }

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String B64URL_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final String[] ACCEPTS = {
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "application/json",
            "application/problem+json",
            "text/html",
            "application/problem+json, application/json;q=0.9",
    };
    private static final String[] OTHER_KEY_IDS = {
            "system-2", "demo-1", "SYSTEM-1", "system_1", "s", "k".repeat(32), "system-1-", "0"};

    private final List<RealLogin> finished;
    private final List<RealLogin> started;
    private final List<RealLogin> all;
    private final String issuer;
    private final byte[] rightKey;
    private final Instant now;
    private final List<Mutation> hostile;
    private final List<Mutation> cosmetic;

    HostileCallbacks(List<RealLogin> logins, String issuer, String rightKey, Instant now) {
        this.finished = logins.stream().filter(RealLogin::finished).toList();
        this.started = logins.stream().filter(login -> !login.finished()).toList();
        this.all = List.copyOf(logins);
        if (finished.size() < 2 || started.size() < 2) {
            throw new IllegalArgumentException("need at least two finished and two started logins");
        }
        this.issuer = issuer;
        this.rightKey = rightKey.getBytes(StandardCharsets.UTF_8);
        this.now = now;
        this.hostile = hostileMutations();
        this.cosmetic = cosmeticMutations();
    }

    /**
     * {@code count} callbacks, each with at least one hostile element. Callback {@code i} draws from its own
     * {@link Random}, seeded from {@code seed} and {@code i}: the same seed gives the same mutations at each index,
     * whatever the random states of this run's real logins made an earlier callback draw.
     */
    List<Hostile> generate(long seed, int count) {
        List<Hostile> generated = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            generated.add(one(index, new Random(seed ^ (index * 0x9E3779B97F4A7C15L))));
        }
        return generated;
    }

    private Hostile one(int index, Random random) {
        for (int attempt = 0; attempt < 20; attempt++) {
            Draft draft = base(random);
            applyOne(draft, hostile, random);
            int more = random.nextInt(3);
            for (int i = 0; i < more; i++) {
                applyOne(draft, random.nextInt(3) == 0 ? cosmetic : random.nextBoolean() ? hostile : cosmetic, random);
            }
            // A later mutation may have undone an earlier one (a re-encoding, a flow cookie put back): never send a
            // real login's own callback, which is supposed to succeed.
            for (int extra = 0; extra < 5 && couldBeGenuine(draft); extra++) {
                applyOne(draft, hostile, random);
            }
            // Oversized requests have tests of their own; here every callback reaches the app's code.
            boolean fits = draft.query().length() <= QUERY_BUDGET
                    && (draft.cookieHeader() == null || draft.cookieHeader().length() <= COOKIE_BUDGET);
            if (fits && !couldBeGenuine(draft)) {
                return new Hostile(index, draft.query(), draft.cookieHeader(), pick(random, ACCEPTS),
                        List.copyOf(draft.mutations), submitted(draft));
            }
        }
        throw new IllegalStateException("could not make callback #" + index + " hostile and small enough");
    }

    private Draft base(Random random) {
        Draft draft = new Draft();
        if (random.nextInt(10) < 6) {
            RealLogin login = pick(random, finished);
            draft.set("code", login.code());
            draft.set("state", login.state());
            if (random.nextInt(5) > 0) {
                draft.set("iss", login.iss());
            }
            draft.cookies.add(new Crumb(login.flowCookieName(), login.flowCookieValue()));
        } else {
            // A started login, its browser and a code from somewhere else: the portal never issued one for it.
            RealLogin login = pick(random, started);
            draft.set("state", login.state());
            draft.set("code", random.nextBoolean() ? pick(random, finished).code() : randomToken(random, 8, 64));
            if (random.nextBoolean()) {
                draft.set("iss", issuer);
            }
            draft.cookies.add(new Crumb(login.flowCookieName(), login.flowCookieValue()));
            draft.mutations.add("started-login-with-foreign-code");
        }
        return draft;
    }

    private static void applyOne(Draft draft, List<Mutation> from, Random random) {
        for (int attempt = 0; attempt < 10; attempt++) {
            Mutation mutation = pick(random, from);
            if (mutation.apply().test(draft, random)) {
                draft.mutations.add(mutation.name());
                return;
            }
        }
    }

    private List<Mutation> hostileMutations() {
        List<Mutation> list = new ArrayList<>();
        // The state, changed as text.
        list.add(new Mutation("truncated-state", (d, r) -> mapState(d, s -> s.isEmpty() ? null
                : s.substring(0, r.nextInt(s.length())))));
        list.add(new Mutation("flipped-char", (d, r) -> mapState(d, s -> {
            if (s.isEmpty()) {
                return null;
            }
            int at = r.nextInt(s.length());
            String alphabet = B64URL_ALPHABET + ".+/=~ ";
            // One draw whatever the state holds: the last character of the alphabet stands in for the one it has.
            char other = alphabet.charAt(r.nextInt(alphabet.length() - 1));
            return s.substring(0, at) + (other == s.charAt(at) ? alphabet.charAt(alphabet.length() - 1) : other)
                    + s.substring(at + 1);
        })));
        list.add(new Mutation("inserted-char", (d, r) -> mapState(d, s -> {
            int at = r.nextInt(s.length() + 1);
            return s.substring(0, at) + (B64URL_ALPHABET + ".=").charAt(r.nextInt(B64URL_ALPHABET.length() + 2))
                    + s.substring(at);
        })));
        list.add(new Mutation("deleted-char", (d, r) -> mapState(d, s -> {
            if (s.isEmpty()) {
                return null;
            }
            int at = r.nextInt(s.length());
            return s.substring(0, at) + s.substring(at + 1);
        })));
        list.add(new Mutation("swapped-parts", (d, r) -> mapState(d, s -> swapParts(s, r))));
        list.add(new Mutation("base64-padding", (d, r) -> {
            String s = d.decoded("state");
            if (s == null || s.indexOf('.') < 0) {
                return false;
            }
            String pad = r.nextBoolean() ? "=" : "==";
            String padded = r.nextBoolean() ? s + pad
                    : s.substring(0, s.lastIndexOf('.')) + pad + s.substring(s.lastIndexOf('.'));
            // As '=' on the wire (a second '=' in the pair) or as %3D.
            d.setWire("state", r.nextBoolean() ? encode(padded) : padded);
            return true;
        }));
        list.add(new Mutation("standard-base64", (d, r) -> {
            String s = d.decoded("state");
            if (s == null) {
                return false;
            }
            String converted = s.replace('-', '+').replace('_', '/');
            if (converted.equals(s)) {
                int at = r.nextInt(s.length() + 1);
                converted = s.substring(0, at) + (r.nextBoolean() ? '+' : '/') + s.substring(at);
            }
            // Raw '+' is a space to a form decoder; %2B is a '+'. Both are wrong for base64url.
            d.setWire("state", r.nextBoolean() ? converted : encode(converted));
            return true;
        }));
        list.add(new Mutation("double-percent-encoded", (d, r) -> {
            String s = d.decoded("state");
            if (s == null || s.isEmpty()) {
                return false;
            }
            // %2541 decodes once to %41, not to A: a server that decoded twice would read the state.
            int forced = r.nextInt(s.length());
            StringBuilder wire = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean twice = c < 128 && (i == forced || r.nextInt(4) == 0);
                wire.append(twice ? "%25" + hex(c) : encode(String.valueOf(c)));
            }
            d.setWire("state", wire.toString());
            return true;
        }));
        list.add(new Mutation("overlong-or-lookalike-utf8", (d, r) -> {
            String s = d.decoded("state");
            if (s == null || s.indexOf('.') < 0) {
                return false;
            }
            // An overlong '.', a fullwidth full stop, a one-dot leader: each may look like '.' after a sloppy decode.
            String[] dots = {"%C0%AE", "%E0%80%AE", "%EF%BC%8E", "%E2%80%A4"};
            int dot = r.nextBoolean() ? s.indexOf('.') : s.lastIndexOf('.');
            d.setWire("state", encode(s.substring(0, dot)) + pick(r, dots) + encode(s.substring(dot + 1)));
            return true;
        }));
        list.add(new Mutation("junk-state", (d, r) -> {
            d.setWire("state", junkWire(r, d.decoded("state")));
            return true;
        }));
        list.add(new Mutation("state-absent-or-empty", (d, r) -> {
            switch (r.nextInt(3)) {
                case 0 -> d.remove("state");
                case 1 -> d.setWire("state", "");
                default -> d.setWire("state", null);
            }
            return true;
        }));
        list.add(new Mutation("very-long-state", (d, r) -> {
            String s = d.decoded("state");
            int length = longLength(d, "state", r);
            String filler = randomToken(r, length, length);
            String value = switch (r.nextInt(3)) {
                case 0 -> filler;
                case 1 -> s == null ? filler : (s + filler).substring(0, Math.max(length, s.length() + 1));
                default -> KEY_ID + "." + filler.substring(0, length - 60) + "." + randomToken(r, 43, 43);
            };
            d.set("state", value);
            return true;
        }));
        // The state, re-signed: with another key, under another key id, with our key but expired, early or malformed.
        list.add(new Mutation("re-signed-other-key-same-id", (d, r) -> {
            byte[] nonce = bytes(r, StateClaims.NONCE_BYTES);
            Instant issuedAt = now.minusSeconds(r.nextInt(60));
            String secret = "another-key-" + randomToken(r, 32, 40);
            byte[] flowSecret = bytes(r, 32);
            d.set("state", signer(KEY_ID, secret).sign(new StateClaims(issuedAt, nonce, bindingOf(flowSecret),
                    ReturnPath.HOME)));
            if (r.nextBoolean()) {
                d.replaceFlowCookie(flowCookieFor(issuedAt.getEpochSecond(), nonce, flowSecret));
            }
            return true;
        }));
        list.add(new Mutation("re-signed-other-key-id", (d, r) -> {
            byte[] nonce = bytes(r, StateClaims.NONCE_BYTES);
            Instant issuedAt = now.minusSeconds(r.nextInt(60));
            // Sometimes our own secret under another id: the id picks the key, so that is still a forgery.
            String secret = r.nextBoolean() ? PotLoginWithSandbox.STATE_KEY : "another-key-" + randomToken(r, 32, 40);
            byte[] flowSecret = bytes(r, 32);
            // Signed by hand: several of these ids are not ids a key ring could hold.
            d.set("state", sign(pick(r, OTHER_KEY_IDS), secret.getBytes(StandardCharsets.UTF_8),
                    payload(VERSION, issuedAt.getEpochSecond(), nonce, bindingOf(flowSecret),
                            "/".getBytes(StandardCharsets.UTF_8))));
            if (r.nextBoolean()) {
                d.replaceFlowCookie(flowCookieFor(issuedAt.getEpochSecond(), nonce, flowSecret));
            }
            return true;
        }));
        list.add(new Mutation("right-key-expired", (d, r) -> {
            long issuedAt = switch (r.nextInt(7)) {
                case 0, 1 -> now.getEpochSecond() - MAX_AGE.getSeconds() - 1 - r.nextInt(60);
                case 2, 3 -> now.getEpochSecond() - MAX_AGE.getSeconds() - r.nextInt(365 * 86_400);
                case 4 -> 0;                                               // 1970-01-01
                case 5 -> -62_135_596_800L;                                // year 1
                // Before any Instant: 8 bytes hold more than java.time does.
                default -> r.nextBoolean() ? Long.MIN_VALUE : Instant.MIN.getEpochSecond() - 1 - r.nextInt(1_000);
            };
            forgeWithRightKey(d, r, issuedAt, VERSION, "/".getBytes(StandardCharsets.UTF_8));
            return true;
        }));
        list.add(new Mutation("right-key-from-future", (d, r) -> {
            long issuedAt = switch (r.nextInt(7)) {
                case 0, 1 -> now.getEpochSecond() + 31 + r.nextInt(120);
                case 2, 3 -> now.getEpochSecond() + 3_600L + r.nextInt(365 * 86_400);
                case 4 -> 253_402_300_799L;                                // 9999-12-31T23:59:59Z
                case 5 -> Instant.MAX.getEpochSecond();                    // the last Instant
                // After any Instant: 8 bytes hold more than java.time does.
                default -> r.nextBoolean() ? Long.MAX_VALUE : Instant.MAX.getEpochSecond() + 1 + r.nextInt(1_000);
            };
            forgeWithRightKey(d, r, issuedAt, VERSION, "/".getBytes(StandardCharsets.UTF_8));
            return true;
        }));
        list.add(new Mutation("right-key-malformed-payload", (d, r) -> {
            long issuedAt = now.getEpochSecond() - r.nextInt(60);
            switch (r.nextInt(5)) {
                // Any version but ours, the retired version 1 among them.
                case 0 -> forgeWithRightKey(d, r, issuedAt, (byte) (VERSION + 1 + r.nextInt(255)),
                        "/".getBytes(StandardCharsets.UTF_8));
                case 1 -> {
                    // Shorter than version + issued-at + nonce + binding: the payload is cut, the signature over it
                    // is right.
                    byte[] payload = Arrays.copyOf(payload(VERSION, issuedAt, bytes(r, 16), bytes(r, 32),
                            new byte[0]), r.nextInt(57));
                    d.set("state", sign(KEY_ID, rightKey, payload));
                }
                case 2 -> forgeWithRightKey(d, r, issuedAt, VERSION, bytes(r, 1 + r.nextInt(64)));  // not UTF-8
                case 3 -> forgeWithRightKey(d, r, issuedAt, VERSION, pick(r, new String[]{
                        "//evil.example", "https://evil.example/", "/\\evil.example", "/%2F%2Fevil.example",
                        "javascript:alert(1)", "/\r\nSet-Cookie: " + SESSION_COOKIE + "=forged", "/" + "a".repeat(600)})
                        .getBytes(StandardCharsets.UTF_8));
                default -> forgeWithRightKey(d, r, issuedAt, VERSION,
                        ("/" + randomToken(r, 700, 760)).getBytes(StandardCharsets.UTF_8));    // state over 1024
            }
            return true;
        }));
        list.add(new Mutation("state-of-another-login", (d, r) -> {
            String s = d.decoded("state");
            RealLogin other = pick(r, all);
            if (other.state().equals(s)) {
                return false;
            }
            d.set("state", other.state());
            return true;
        }));
        // The binding: the attacker's own callback in a browser without its flow cookie, or with another one.
        list.add(new Mutation("no-flow-cookie", (d, r) -> {
            if (d.flowCookie() == null) {
                return false;
            }
            d.dropFlowCookies();
            return true;
        }));
        list.add(new Mutation("another-browsers-flow-cookie", (d, r) -> {
            RealLogin other = pick(r, all);
            Crumb current = d.flowCookie();
            if (current != null && current.name().equals(other.flowCookieName())) {
                return false;
            }
            d.replaceFlowCookie(new Crumb(other.flowCookieName(), other.flowCookieValue()));
            return true;
        }));
        list.add(new Mutation("flow-cookie-wrong-value", (d, r) -> {
            Crumb current = d.flowCookie();
            if (current == null) {
                return false;
            }
            String v = current.value();
            int dot = Math.max(v.indexOf('.'), 0);
            String wrong = switch (r.nextInt(7)) {
                case 0 -> randomToken(r, 1, 40);
                case 1 -> v.isEmpty() ? "x" : v.substring(0, r.nextInt(v.length()));
                case 2 -> pick(r, all).flowCookieValue();
                case 3 -> v + randomToken(r, 1, 4);
                case 4 -> incrementDigits(v.substring(0, dot)) + v.substring(dot);    // one second off
                case 5 -> "\"" + randomToken(r, 10, 30) + "\"";
                default -> v.isEmpty() ? "y" : v.substring(0, v.length() - 1) + (v.endsWith("A") ? "B" : "A");
            };
            if (wrong.equals(v)) {
                return false;
            }
            d.replaceFlowCookie(new Crumb(current.name(), wrong));
            return true;
        }));
        list.add(new Mutation("many-flow-cookies", (d, r) -> {
            Crumb current = d.flowCookie();
            d.dropFlowCookies();
            int count = 10 + r.nextInt(140);
            for (int i = 0; i < count; i++) {
                String name = current != null && r.nextInt(10) == 0 ? current.name()
                        : FlowCookie.PREFIX + randomToken(r, 8, 8);
                d.cookies.add(new Crumb(name, (now.getEpochSecond() - r.nextInt(600)) + "." + randomToken(r, 22, 22)));
            }
            d.cookies.removeIf(crumb -> current != null && crumb.equals(current));
            return true;
        }));
        list.add(new Mutation("flow-cookie-name-variant", (d, r) -> {
            Crumb current = d.flowCookie();
            if (current == null) {
                return false;
            }
            String id = current.name().substring(FlowCookie.PREFIX.length());
            String name = switch (r.nextInt(5)) {
                case 0 -> current.name().toLowerCase();
                case 1 -> "__Secure-pot-flow-" + id;
                case 2 -> "pot-flow-" + id;
                case 3 -> FlowCookie.PREFIX + swapCase(id);
                default -> FlowCookie.PREFIX + id + "x";
            };
            if (name.equals(current.name())) {
                return false;
            }
            d.replaceFlowCookie(new Crumb(name, current.value()));
            return true;
        }));
        // The issuer (RFC 9207): a mix-up with another portal.
        list.add(new Mutation("wrong-iss", (d, r) -> {
            String[] wrong = {"https://evil.example", issuer + "/", issuer.toUpperCase(), issuer + "%00", issuer + " ",
                    "https://api.oftrust.net", issuer.replace("127.0.0.1", "localhost"), randomToken(r, 1, 30),
                    issuer + "." + randomToken(r, 5000, 5600), "\u0000", issuer + "\r\n"};
            String value = pick(r, wrong);
            if (value.equals(issuer)) {
                return false;
            }
            d.set("iss", value);
            return true;
        }));
        // The code: garbage, missing, too long, or another login's.
        list.add(new Mutation("garbage-code", (d, r) -> {
            String code = d.decoded("code");
            String value = switch (r.nextInt(8)) {
                case 0 -> randomToken(r, 1, 64);
                case 1 -> "";
                case 2 -> " \t ";
                case 3 -> randomToken(r, 513, 530);
                case 4 -> randomUnicode(r, 1 + r.nextInt(40));
                case 5 -> "abc\r\nSet-Cookie: " + SESSION_COOKIE + "=forged";
                case 6 -> code == null || code.isEmpty() ? "\u0000" : code.substring(0, code.length() - 1) + "\u0000";
                default -> code == null ? randomToken(r, 20, 40) : "not-" + code;
            };
            d.set("code", value);
            return true;
        }));
        list.add(new Mutation("very-long-code", (d, r) -> {
            int length = longLength(d, "code", r);
            d.set("code", randomToken(r, length, length));
            return true;
        }));
        list.add(new Mutation("code-of-another-login", (d, r) -> {
            String code = d.decoded("code");
            RealLogin other = pick(r, finished);
            if (other.code().equals(code)) {
                return false;
            }
            d.set("code", other.code());
            return true;
        }));
        list.add(new Mutation("code-absent", (d, r) -> {
            if (d.firstIndex("code") < 0) {
                return false;
            }
            d.remove("code");
            return true;
        }));
        list.add(new Mutation("error-param", (d, r) -> {
            String[] errors = {"access_denied", "server_error", "invalid_request", "temporarily_unavailable",
                    randomToken(r, 1, 30), randomToken(r, 3000, 5000), "x\r\nSet-Cookie: " + SESSION_COOKIE + "=forged",
                    randomUnicode(r, 20), "<script>alert(1)</script>"};
            d.set("error", pick(r, errors));
            if (r.nextBoolean()) {
                d.remove("code");
            }
            if (r.nextInt(4) == 0) {
                d.set("error_description", randomToken(r, 10, 200));
            }
            if (r.nextInt(5) == 0) {
                d.remove("state");
            }
            return true;
        }));
        // Duplicated parameters: which one counts must not be a way in.
        list.add(new Mutation("duplicate-parameter", (d, r) -> {
            String name = pick(r, new String[]{"state", "state", "code", "code", "iss", "error"});
            String value = switch (r.nextInt(3)) {
                case 0 -> randomToken(r, 1, 60);
                case 1 -> name.equals("code") ? pick(r, finished).code() : pick(r, all).state();
                default -> "";
            };
            Param extra = new Param(name, encode(value));
            if (r.nextBoolean()) {
                d.params.add(0, extra);
            } else {
                d.params.add(extra);
            }
            return true;
        }));
        // The query's own syntax: odd separators, bad escapes, raw bytes (these go over a raw socket).
        list.add(new Mutation("mangled-parameter-name", (d, r) -> {
            int i = d.firstIndex(r.nextBoolean() ? "state" : "code");
            if (i < 0) {
                return false;
            }
            Param p = d.params.get(i);
            String[] names = {p.name().toUpperCase(), p.name() + "[]", p.name() + "%00", " " + p.name(),
                    p.name() + "%20", p.name() + "_", "%C0" + p.name()};
            d.params.set(i, new Param(pick(r, names), p.wire()));
            return true;
        }));
        list.add(new Mutation("malformed-escapes", (d, r) -> {
            String[] bad = {"%", "%z", "%zz", "%g0", "%E0%A4", "%C3", "%%", "%u0041", "%0", "%FF%FE"};
            int i = d.firstIndex(pick(r, new String[]{"state", "code", "iss"}));
            String junk = pick(r, bad);
            if (i < 0) {
                d.rawTail += "&state=" + junk;
            } else {
                Param p = d.params.get(i);
                String wire = p.wire() == null ? "" : p.wire();
                int at = r.nextInt(wire.length() + 1);
                d.params.set(i, new Param(p.name(), wire.substring(0, at) + junk + wire.substring(at)));
            }
            return true;
        }));
        list.add(new Mutation("raw-bytes-in-query", (d, r) -> {
            int i = d.firstIndex(pick(r, new String[]{"state", "code"}));
            if (i < 0) {
                return false;
            }
            Param p = d.params.get(i);
            String wire = p.wire() == null ? "" : p.wire();
            String[] raw = {"\u00e9", "\u202e", "\u4e2d\u6587", "\ud83d\ude00", "\u0000", "\u007f", "\t", " ", "\"",
                    "<", ">", "\\", "^", "`", "{", "|", "}"};
            int at = r.nextInt(wire.length() + 1);
            d.params.set(i, new Param(p.name(), wire.substring(0, at) + pick(r, raw) + wire.substring(at)));
            return true;
        }));
        return List.copyOf(list);
    }

    /** Changes that keep a callback's meaning; mixed in, they never count as its hostile element. */
    private List<Mutation> cosmeticMutations() {
        List<Mutation> list = new ArrayList<>();
        list.add(new Mutation("percent-encoded", (d, r) -> {
            int i = d.firstIndex(pick(r, new String[]{"state", "code", "iss"}));
            if (i < 0 || d.params.get(i).wire() == null) {
                return false;
            }
            String value = decode(d.params.get(i).wire());
            if (value == null) {
                return false;
            }
            StringBuilder wire = new StringBuilder();
            for (char c : value.toCharArray()) {
                boolean escape = c < 128 && r.nextInt(3) == 0;
                String hex = hex(c);
                wire.append(escape ? "%" + (r.nextBoolean() ? hex : hex.toLowerCase()) : encode(String.valueOf(c)));
            }
            d.params.set(i, new Param(d.params.get(i).name(), wire.toString()));
            return true;
        }));
        list.add(new Mutation("extra-parameters", (d, r) -> {
            String[] extras = {"foo=bar", "return_to=%2F%2Fevil.example", "redirect_uri=https%3A%2F%2Fevil.example",
                    "session_state=" + randomToken(r, 10, 40), "scope=openid", "x=" + randomToken(r, 100, 400), "=", "&",
                    "a"};
            d.params.add(r.nextInt(d.params.size() + 1), new Param(pick(r, extras), null));
            return true;
        }));
        list.add(new Mutation("reordered-parameters", (d, r) -> {
            java.util.Collections.shuffle(d.params, r);
            return true;
        }));
        list.add(new Mutation("extra-cookies", (d, r) -> {
            int count = 1 + r.nextInt(8);
            for (int i = 0; i < count; i++) {
                Crumb extra = switch (r.nextInt(4)) {
                    case 0 -> new Crumb(SESSION_COOKIE, "eyJ" + randomToken(r, 20, 200));
                    case 1 -> new Crumb("JSESSIONID", randomToken(r, 16, 32));
                    case 2 -> new Crumb(randomToken(r, 1, 12), randomToken(r, 0, 60));
                    default -> new Crumb("__Host-" + randomToken(r, 3, 10), randomToken(r, 0, 40));
                };
                d.cookies.add(r.nextInt(d.cookies.size() + 1), extra);
            }
            return true;
        }));
        list.add(new Mutation("quoted-flow-cookie", (d, r) -> {
            Crumb current = d.flowCookie();
            if (current == null || current.value().startsWith("\"")) {
                return false;
            }
            d.replaceFlowCookie(new Crumb(current.name(), "\"" + current.value() + "\""));
            return true;
        }));
        return List.copyOf(list);
    }

    // ---- the guard: could the server read this as a real login's own callback? ----

    /**
     * Whether the server could read the callback as a real, untouched login: state, code, flow cookie and iss equal to
     * one finished login's once decoded as a lenient server decodes them. Errs towards yes: ';' and '&' both split, a
     * fragment ends the query, undecodable pairs are ignored, cookie values lose their quotes, an empty iss counts as
     * none. A state or code sent twice is taken as hostile: which copy counts must not be a way in.
     */
    private boolean couldBeGenuine(Draft draft) {
        String query = draft.query();
        int fragment = query.indexOf('#');
        if (fragment >= 0) {
            query = query.substring(0, fragment);
        }
        List<String> states = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        List<String> isses = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String pair : query.split("[&;]")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (name == null || value == null) {
                continue;
            }
            switch (name.trim()) {
                case "state" -> states.add(value);
                case "code" -> codes.add(value);
                case "iss" -> isses.add(value);
                case "error" -> errors.add(value);
                default -> { }
            }
        }
        if (states.size() != 1 || codes.size() != 1 || isses.size() > 1
                || errors.stream().anyMatch(error -> !error.isBlank())
                || isses.stream().anyMatch(iss -> !iss.isEmpty() && !iss.equals(issuer))) {
            return false;
        }
        for (RealLogin login : finished) {
            if (login.state().equals(states.get(0).trim()) && login.code().equals(codes.get(0).trim())
                    && holdsFlowCookie(draft, login)) {
                return true;
            }
        }
        return false;
    }

    private static boolean holdsFlowCookie(Draft draft, RealLogin login) {
        String header = draft.cookieHeader();
        if (header == null) {
            return false;
        }
        for (String crumb : header.split("[;,]")) {
            int eq = crumb.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String value = crumb.substring(eq + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            if (crumb.substring(0, eq).trim().equals(login.flowCookieName()) && value.equals(login.flowCookieValue())) {
                return true;
            }
        }
        return false;
    }

    /** Every state, code, iss and error value, decoded and as sent, for the check that error bodies do not echo them. */
    private static List<String> submitted(Draft draft) {
        List<String> values = new ArrayList<>();
        for (Param param : draft.params) {
            if (param.wire() != null && List.of("state", "code", "iss", "error").contains(param.name())) {
                values.add(param.wire());
                String decoded = decode(param.wire());
                if (decoded != null && !decoded.equals(param.wire())) {
                    values.add(decoded);
                }
            }
        }
        return values;
    }

    // ---- forging states and their flow cookies ----

    private void forgeWithRightKey(Draft draft, Random random, long issuedAt, byte version, byte[] path) {
        byte[] nonce = bytes(random, StateClaims.NONCE_BYTES);
        byte[] flowSecret = bytes(random, 32);
        draft.set("state", sign(KEY_ID, rightKey, payload(version, issuedAt, nonce, bindingOf(flowSecret), path)));
        // With its own matching flow cookie, so that only what is inside the signature is wrong.
        if (random.nextInt(4) > 0) {
            draft.replaceFlowCookie(flowCookieFor(issuedAt, nonce, flowSecret));
        }
    }

    /**
     * The flow cookie {@code /login} sets for a login whose secret the forger chose: FlowCookies' policy, as ADR-0005
     * writes it. A forger who does not choose the secret cannot build it: nothing in a URL reveals it.
     */
    static Crumb flowCookieFor(long issuedAt, byte[] nonce, byte[] flowSecret) {
        return new Crumb(flowCookieName(nonce), issuedAt + "." + B64URL.encodeToString(flowSecret));
    }

    static String flowCookieName(byte[] nonce) {
        return FlowCookie.PREFIX + B64URL.encodeToString(Arrays.copyOf(nonce, 6));
    }

    /** ADR-0005: what a state carries of its flow secret, SHA-256("pot-login/flow-binding/v1:" || secret). */
    static byte[] bindingOf(byte[] flowSecret) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update("pot-login/flow-binding/v1:".getBytes(StandardCharsets.US_ASCII));
            return sha256.digest(flowSecret);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a real login's flow cookie is what the generator would forge for its state (the format checked). */
    static boolean flowCookieFits(String state, String name, String value) {
        ByteBuffer payload = ByteBuffer.wrap(Base64.getUrlDecoder().decode(state.split("\\.")[1]));
        payload.get();
        long issuedAt = payload.getLong();
        byte[] nonce = new byte[StateClaims.NONCE_BYTES];
        payload.get(nonce);
        byte[] binding = new byte[StateClaims.BINDING_BYTES];
        payload.get(binding);
        byte[] flowSecret = Base64.getUrlDecoder().decode(value.substring(value.indexOf('.') + 1));
        return flowCookieFor(issuedAt, nonce, flowSecret).equals(new Crumb(name, value))
                && Arrays.equals(bindingOf(flowSecret), binding);
    }

    /** ADR-0002's format, written by hand so that the payload can be anything; see {@link StateSigner}. */
    static String sign(String keyId, byte[] secret, byte[] payload) {
        String signed = keyId + "." + B64URL.encodeToString(payload);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return signed + "." + B64URL.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] payload(byte version, long issuedAt, byte[] nonce, byte[] binding, byte[] path) {
        return ByteBuffer.allocate(1 + Long.BYTES + nonce.length + binding.length + path.length)
                .put(version).putLong(issuedAt).put(nonce).put(binding).put(path).array();
    }

    static StateSigner signer(String keyId, String secret) {
        return new StateSigner(new StateKeys(List.of(new StateKey(keyId, Secret.of("test", secret)))), MAX_AGE,
                Duration.ofSeconds(30));
    }

    // ---- small helpers ----

    private static boolean mapState(Draft draft, java.util.function.UnaryOperator<String> change) {
        String state = draft.decoded("state");
        if (state == null) {
            return false;
        }
        String changed = change.apply(state);
        if (changed == null || changed.equals(state)) {
            return false;
        }
        draft.set("state", changed);
        return true;
    }

    private static String swapParts(String state, Random random) {
        String[] parts = state.split("\\.", -1);
        if (parts.length != 3) {
            return state + "." + state;
        }
        return switch (random.nextInt(6)) {
            case 0 -> parts[1] + "." + parts[0] + "." + parts[2];
            case 1 -> parts[0] + "." + parts[2] + "." + parts[1];
            case 2 -> parts[2] + "." + parts[1] + "." + parts[0];
            case 3 -> parts[0] + "." + parts[1];                              // no mac
            case 4 -> parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[2];
            default -> parts[0] + "." + parts[1] + "." + parts[1];           // payload as mac
        };
    }

    /** A state or code value that is not one: random bytes, unicode, CR-LF, NUL, dots; as it goes on the wire. */
    private static String junkWire(Random random, String state) {
        return switch (random.nextInt(8)) {
            case 0 -> {
                StringBuilder wire = new StringBuilder();
                for (byte b : bytes(random, 1 + random.nextInt(200))) {
                    wire.append('%').append(String.format("%02X", b & 0xff));
                }
                yield wire.toString();
            }
            case 1 -> encode(randomUnicode(random, 1 + random.nextInt(60)));
            case 2 -> (state == null ? "" : encode(state)) + "%0d%0aSet-Cookie:%20" + SESSION_COOKIE + "=forged";
            case 3 -> state == null || state.isEmpty() ? "%00"
                    : encode(state.substring(0, state.length() / 2)) + "%00" + encode(state.substring(state.length() / 2));
            case 4 -> ".." + "%2E".repeat(random.nextInt(5));
            case 5 -> encode(KEY_ID + ".." );
            case 6 -> encode("system-1.AQ.AA");
            default -> encode("<script>alert(1)</script>" + randomToken(random, 10, 20));
        };
    }

    /** 5 000 to 7 000 characters, or less when the rest of the query leaves no room under the request-line limit. */
    private static int longLength(Draft draft, String name, Random random) {
        int i = draft.firstIndex(name);
        int current = i < 0 || draft.params.get(i).wire() == null ? 0 : draft.params.get(i).wire().length();
        int room = QUERY_BUDGET - (draft.query().length() - current) - name.length() - 2;
        return Math.max(100, Math.min(5_000 + random.nextInt(2_001), room));
    }

    static String randomToken(Random random, int min, int max) {
        int length = min + (max > min ? random.nextInt(max - min + 1) : 0);
        StringBuilder token = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            token.append(B64URL_ALPHABET.charAt(random.nextInt(B64URL_ALPHABET.length())));
        }
        return token.toString();
    }

    private static String randomUnicode(Random random, int length) {
        int[][] ranges = {{0xA0, 0xFF}, {0x400, 0x4FF}, {0x4E00, 0x4FFF}, {0x1F600, 0x1F64F}, {0x200B, 0x200F},
                {0x202A, 0x202E}, {0xFEFF, 0xFEFF}, {0x300, 0x36F}, {0xFF01, 0xFF5E}};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int[] range = ranges[random.nextInt(ranges.length)];
            text.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
        }
        return text.toString();
    }

    private static byte[] bytes(Random random, int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String incrementDigits(String digits) {
        try {
            return Long.toString(Long.parseLong(digits) + 1);
        } catch (NumberFormatException notDigits) {
            return digits + "1";
        }
    }

    private static String swapCase(String text) {
        StringBuilder swapped = new StringBuilder();
        for (char c : text.toCharArray()) {
            swapped.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        return swapped.toString();
    }

    private static String hex(char c) {
        return String.format("%02X", (int) c);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Percent-decoding as a query decoder does it ('+' is a space, UTF-8); null for a malformed escape. */
    static String decode(String wire) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < wire.length(); ) {
            int c = wire.codePointAt(i);
            if (c == '%') {
                if (i + 2 >= wire.length()) {
                    return null;
                }
                int high = Character.digit(wire.charAt(i + 1), 16);
                int low = Character.digit(wire.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high * 16 + low);
                i += 3;
            } else {
                byte[] utf8 = (c == '+' ? " " : new String(Character.toChars(c))).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
                i += Character.charCount(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static <T> T pick(Random random, List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    static <T> T pick(Random random, T[] from) {
        return from[random.nextInt(from.length)];
    }

    static String shorten(String text, int max) {
        String printable = text.replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "\\0");
        return printable.length() <= max ? printable
                : printable.substring(0, max) + "…(" + printable.length() + " chars)";
    }
}
