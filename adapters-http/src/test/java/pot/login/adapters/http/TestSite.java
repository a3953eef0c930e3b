package pot.login.adapters.http;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.net.URI;

/** The site these tests' controllers belong to, as the app wires it from its redirect URI. */
@Factory
class TestSite {

    static final String ORIGIN = "https://app.example";

    @Singleton
    SameOrigin sameOrigin() {
        return new SameOrigin(URI.create(ORIGIN + "/login/complete"));
    }

    @Singleton
    StrictTransportSecurity strictTransportSecurity() {
        return StrictTransportSecurity.none();
    }
}
