package pot.login.domain.state;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;
import pot.login.domain.Secret;

/**
 * One HMAC key for signing states, with the id written into every state it signs so that keys can rotate.
 *
 * @param id        lower-case letters and digits in groups joined by single {@code -} ({@code demo-1}, {@code prod-2}),
 *                  at most {@value #MAX_ID_LENGTH} characters, unique among the configured keys: one spelling that
 *                  survives YAML, system properties and environment variable names alike
 * @param secret    at least {@value #MIN_SECRET_BYTES} bytes, as HMAC-SHA256 wants a key as long as its output
 * @param retiredAt when it stopped signing, or null for a key in service: a retired key verifies only states issued
 *                  before then, and nothing at all once the last of them has expired
 */
public record StateKey(String id, Secret secret, Instant retiredAt) {

    public static final int MIN_SECRET_BYTES = 32;
    public static final int MAX_ID_LENGTH = 32;
    private static final Pattern ID = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");

    public StateKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(secret, "secret");
        if (!isWellFormedId(id)) {
            throw new IllegalArgumentException("the state key id '" + id + "' is not lower-case letters and digits "
                    + "joined by single '-', at most " + MAX_ID_LENGTH + " characters");
        }
        if (secret.length() < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("state key '" + id + "' is shorter than " + MIN_SECRET_BYTES + " bytes");
        }
    }

    /** A key in service. */
    public StateKey(String id, Secret secret) {
        this(id, secret, null);
    }

    public boolean isRetired() {
        return retiredAt != null;
    }

    public static boolean isWellFormedId(String candidate) {
        return candidate.length() <= MAX_ID_LENGTH && ID.matcher(candidate).matches();
    }
}
