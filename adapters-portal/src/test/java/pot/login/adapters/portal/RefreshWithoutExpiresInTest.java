package pot.login.adapters.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.annotation.Property;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import pot.login.domain.RefreshToken;
import pot.login.domain.port.out.RefreshResult;

/**
 * Review 5: RFC 6749 §5.1 makes {@code expires_in} RECOMMENDED, not required. A refresh the provider has honoured
 * (and, with rotation, spent the old refresh token for) must not be reported as an outage to retry: the retry presents
 * a spent token and ends the session. The renewed token's own {@code exp}, which the domain verifies, bounds its cookie.
 */
@MicronautTest
@Property(name = "spec.name", value = "MicronautHttpTokenExchangeTest")
@Property(name = "micronaut.security.enabled", value = "false")
class RefreshWithoutExpiresInTest {

    @Inject
    EmbeddedServer server;

    @Test
    void a_refresh_answered_without_expires_in_is_issued_not_reported_as_an_outage() {
        try (HttpClient portal = PortalClients.create(server.getURL())) {
            MicronautHttpTokenRefresh refresh = new MicronautHttpTokenRefresh(portal,
                    MicronautHttpTokenExchangeTest.settings("/token/no-expiry", ClientAuthentication.CLIENT_SECRET_POST));
            // The first request of a cold server may outlast the test client's one-second read timeout.
            refresh.refresh(new RefreshToken("a-warm-up-refresh-token"));
            RefreshResult result = refresh.refresh(new RefreshToken("the-presented-refresh-token"));

            assertThat(result).isInstanceOf(RefreshResult.Issued.class);
        }
    }
}
