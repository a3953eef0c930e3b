package pot.login.adapters.http;

import io.micronaut.core.annotation.Nullable;

/**
 * The {@code Strict-Transport-Security} value (RFC 6797) that every answer carries, or none. Only where the app is
 * reached over https: a browser must never pin a local demo to https.
 *
 * @param value the header's value; blank or {@code null} sends none
 */
public record StrictTransportSecurity(@Nullable String value) {

    public StrictTransportSecurity {
        value = value == null ? "" : value.strip();
    }

    public static StrictTransportSecurity none() {
        return new StrictTransportSecurity("");
    }

    boolean isSent() {
        return !value.isEmpty();
    }
}
