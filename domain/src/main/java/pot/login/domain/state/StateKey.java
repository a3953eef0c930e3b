package pot.login.domain.state;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;
import pot.login.domain.Secret;

/**
 * One HMAC key for signing states, with the id written into every state it signs so that keys can rotate.
 *
 * @param id        short, URL-safe, unique among the configured keys
 * @param secret    at least {@value #MIN_SECRET_BYTES} bytes, as HMAC-SHA256 wants a key as long as its output
 * @param retiredAt when it stopped signing, or null for a key in service: a retired key verifies only states issued
 *                  before then, and nothing at all once the last of them has expired
 */
public record StateKey(String id, Secret secret, Instant retiredAt) {

    public static final int MIN_SECRET_BYTES = 32;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    public StateKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(secret, "secret");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a state key id is 1 to 32 of A-Z a-z 0-9 _ -, got '" + id + "'");
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

    static boolean isWellFormedId(String candidate) {
        return ID.matcher(candidate).matches();
    }
}
