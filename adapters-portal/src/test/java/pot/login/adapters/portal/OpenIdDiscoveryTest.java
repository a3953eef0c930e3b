package pot.login.adapters.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.annotation.Property;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pot.login.adapters.portal.OpenIdDiscovery.DiscoveryFailedException;

@MicronautTest
@Property(name = "spec.name", value = "OpenIdDiscoveryTest")
@Property(name = "micronaut.security.enabled", value = "false")
class OpenIdDiscoveryTest {

    @Inject
    EmbeddedServer server;

    @Inject
    FakeDiscoveryDocuments documents;

    /** Based on an address where nothing listens: discovery must go to the absolute URL built from the issuer. */
    private HttpClient client;

    @BeforeEach
    void connect() {
        client = PortalClients.create(PortalClients.closedPort());
        documents.fetches.set(0);
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    String issuer(String provider) {
        return server.getURL() + "/" + provider;
    }

    @Test
    void reads_every_endpoint_and_capability_from_the_issuers_document_on_other_hosts_than_the_client_base() {
        ProviderEndpoints endpoints = OpenIdDiscovery.discover(client, issuer("complete"), true);

        assertThat(endpoints).isEqualTo(new ProviderEndpoints(issuer("complete"),
                URI.create("https://login.example/authorize"), URI.create("https://login.example/token"),
                Optional.of(URI.create("https://login.example/userinfo")),
                Optional.of(URI.create("https://login.example/jwks")),
                Optional.of(URI.create("https://login.example/logout")),
                Optional.of(URI.create("https://login.example/revoke")), List.of("S256", "plain"),
                List.of("client_secret_basic", "client_secret_post"), true));
        assertThat(documents.fetches).hasValue(1);
    }

    @Test
    void endpoints_the_document_does_not_name_are_empty_and_capabilities_it_does_not_state_are_not_assumed() {
        ProviderEndpoints endpoints = OpenIdDiscovery.discover(client, issuer("minimal"), true);

        assertThat(endpoints.token()).isEqualTo(URI.create("https://tokens.example/token"));
        assertThat(endpoints.jwks()).contains(URI.create("https://keys.example/jwks"));
        assertThat(endpoints.userinfo()).isEmpty();
        assertThat(endpoints.endSession()).isEmpty();
        assertThat(endpoints.revocation()).isEmpty();
        assertThat(endpoints.codeChallengeMethods()).isEmpty();
        assertThat(endpoints.issParameterSupported()).isFalse();
    }

    @Test
    void a_document_that_names_another_issuer_is_refused_with_both_issuers_named() {
        assertThatThrownBy(() -> OpenIdDiscovery.discover(client, issuer("impostor"), true))
                .isInstanceOf(DiscoveryFailedException.class)
                .hasMessage("OpenID discovery failed: " + issuer("impostor")
                        + "/.well-known/openid-configuration names the issuer 'https://impostor.example', not the "
                        + "configured '" + issuer("impostor") + "'");
    }

    @Test
    void an_issuer_that_differs_only_by_a_trailing_slash_is_another_issuer() {
        assertThatThrownBy(() -> OpenIdDiscovery.discover(client, issuer("complete") + "/", true))
                .isInstanceOf(DiscoveryFailedException.class)
                .hasMessageContaining("names the issuer '" + issuer("complete") + "', not the configured '"
                        + issuer("complete") + "/'");
    }

    @Test
    void a_plaintext_endpoint_is_refused_where_https_is_required_and_accepted_where_it_is_not() {
        assertThatThrownBy(() -> OpenIdDiscovery.discover(client, issuer("plaintext"), true))
                .isInstanceOf(DiscoveryFailedException.class)
                .hasMessageEndingWith("names a authorization_endpoint that is not https: http://login.example/authorize");
        assertThat(OpenIdDiscovery.discover(client, issuer("plaintext"), false).token())
                .isEqualTo(URI.create("http://login.example/token"));
    }

    @Test
    void a_document_without_a_token_endpoint_is_refused() {
        assertThatThrownBy(() -> OpenIdDiscovery.discover(client, issuer("no-token-endpoint"), false))
                .isInstanceOf(DiscoveryFailedException.class).hasMessageEndingWith("has no token_endpoint");
    }

    @Test
    void a_missing_document_an_unreadable_one_and_an_unreachable_server_are_each_one_line_naming_the_url() {
        assertThatThrownBy(() -> OpenIdDiscovery.discover(client, issuer("nobody"), false))
                .isInstanceOf(DiscoveryFailedException.class)
                .hasMessage("OpenID discovery failed: the provider publishes no discovery document: both "
                        + issuer("nobody") + "/.well-known/openid-configuration and " + server.getURL()
                        + "/.well-known/oauth-authorization-server/nobody answered 404");
        assertThatThrownBy(() -> OpenIdDiscovery.discover(client, issuer("garbage"), false))
                .isInstanceOf(DiscoveryFailedException.class)
                .hasMessageEndingWith("/garbage/.well-known/openid-configuration answered 200 with a body that is "
                        + "not a JSON document");
        String nowhere = PortalClients.closedPort() + "/realm";
        assertThatThrownBy(() -> OpenIdDiscovery.discover(client, nowhere, false))
                .isInstanceOf(DiscoveryFailedException.class)
                .hasMessageStartingWith("OpenID discovery failed: " + nowhere
                        + "/.well-known/openid-configuration could not be read: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void where_the_openid_document_is_404_the_rfc_8414_document_before_the_issuers_path_is_read() {
        ProviderEndpoints endpoints = OpenIdDiscovery.discover(client, issuer("oauth-only"), true);

        assertThat(endpoints.authorization()).isEqualTo(URI.create("https://oauth.example/authorize"));
        assertThat(endpoints.token()).isEqualTo(URI.create("https://oauth.example/token"));
        assertThat(endpoints.issuer()).isEqualTo(issuer("oauth-only"));
        assertThat(documents.fetches).hasValue(2);
    }

    @Test
    void where_the_openid_document_exists_the_rfc_8414_document_is_not_asked_for() {
        assertThat(OpenIdDiscovery.discover(client, issuer("complete"), true).token())
                .isEqualTo(URI.create("https://login.example/token"));
        assertThat(documents.fetches).hasValue(1);
    }

    @Test
    void an_rfc_8414_document_that_names_another_issuer_is_refused_naming_its_url() {
        assertThatThrownBy(() -> OpenIdDiscovery.discover(client, issuer("oauth-impostor"), true))
                .isInstanceOf(DiscoveryFailedException.class)
                .hasMessage("OpenID discovery failed: " + server.getURL()
                        + "/.well-known/oauth-authorization-server/oauth-impostor names the issuer "
                        + "'https://impostor.example', not the configured '" + issuer("oauth-impostor") + "'");
    }

    @Test
    void the_rfc_8414_well_known_path_goes_between_the_host_and_the_issuers_path_without_its_terminating_slash() {
        assertThat(OpenIdDiscovery.authorizationServerMetadataUrl("https://example.com/issuer1")).isEqualTo(
                URI.create("https://example.com/.well-known/oauth-authorization-server/issuer1"));
        assertThat(OpenIdDiscovery.authorizationServerMetadataUrl("https://example.com:8443/tenants/a/")).isEqualTo(
                URI.create("https://example.com:8443/.well-known/oauth-authorization-server/tenants/a"));
        assertThat(OpenIdDiscovery.authorizationServerMetadataUrl("https://example.com")).isEqualTo(
                URI.create("https://example.com/.well-known/oauth-authorization-server"));
        assertThat(OpenIdDiscovery.authorizationServerMetadataUrl("https://example.com/")).isEqualTo(
                URI.create("https://example.com/.well-known/oauth-authorization-server"));
    }
}
