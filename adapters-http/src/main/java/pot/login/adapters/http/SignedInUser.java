package pot.login.adapters.http;

import io.micronaut.serde.annotation.Serdeable;
import java.time.format.DateTimeFormatter;
import pot.login.domain.port.in.Identity;

/**
 * The body of {@code GET /me}.
 *
 * @param sessionEndsAt RFC 3339, in UTC
 */
@Serdeable
public record SignedInUser(String id, String name, String firstName, String lastName, String email,
                           String sessionEndsAt) {

    static SignedInUser of(Identity.Known known) {
        var profile = known.profile();
        return new SignedInUser(profile.id(), profile.displayName(), profile.firstName(), profile.lastName(),
                profile.email(), DateTimeFormatter.ISO_INSTANT.format(known.sessionEndsAt()));
    }
}
