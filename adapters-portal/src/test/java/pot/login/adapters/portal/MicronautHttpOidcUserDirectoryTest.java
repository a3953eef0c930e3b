package pot.login.adapters.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.micronaut.context.annotation.Property;
import io.micronaut.http.client.HttpClient;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import pot.login.domain.AccessToken;
import pot.login.domain.Rejection;
import pot.login.domain.port.out.LookupResult;
import pot.login.domain.port.out.UserDirectory;
import pot.login.domain.port.out.UserDirectoryContract;
import pot.login.domain.port.out.UserProfile;

/**
 * The userinfo endpoint is on this test's server; the client's own base URL is a port where nothing listens, so every
 * answer proves that the lookup goes to the configured absolute URI, on another host:port than the portal's.
 */
@MicronautTest
@Property(name = "spec.name", value = "MicronautHttpOidcUserDirectoryTest")
@Property(name = "micronaut.security.enabled", value = "false")
class MicronautHttpOidcUserDirectoryTest extends UserDirectoryContract {

    @Inject
    EmbeddedServer server;

    @Inject
    FakeUserinfoEndpoint endpoint;

    @Inject
    JsonMapper json;

    private HttpClient portal;

    @BeforeEach
    void connect() {
        portal = PortalClients.create(PortalClients.closedPort());
    }

    @AfterEach
    void disconnect() {
        portal.close();
    }

    @Override
    protected UserDirectory directoryWith(Portal behaviour) {
        return switch (behaviour) {
            case KNOWS_THE_USER -> at("full");
            case REFUSES_THE_TOKEN -> at("forbidden");
            case FAILS -> at("503");
            case ANSWERS_GARBAGE -> at("garbage");
            case ANSWERS_FOR_ANOTHER_SUBJECT -> at("another-subject");
            case IS_SLOW -> at("slow");
            case IS_UNREACHABLE -> new MicronautHttpOidcUserDirectory(portal,
                    URI.create(PortalClients.closedPort() + "/userinfo/full"), json);
        };
    }

    private UserDirectory at(String behaviour) {
        return new MicronautHttpOidcUserDirectory(portal, URI.create(server.getURL() + "/userinfo/" + behaviour),
                json);
    }

    @Override
    protected AccessToken token() {
        return new AccessToken(FakeUserinfoEndpoint.VALID_TOKEN);
    }

    @Override
    protected UserProfile knownUser() {
        return new UserProfile("alice", "Alice", "Liddell", "alice@example.test", "Alice Liddell");
    }

    LookupResult lookUpAt(String behaviour) {
        return lookUpAt(behaviour, FakeUserinfoEndpoint.VALID_TOKEN);
    }

    LookupResult lookUpAt(String behaviour, String token) {
        return at(behaviour).lookUp(new AccessToken(token), FakeUserinfoEndpoint.SUBJECT);
    }

    static LookupResult.Failed failed(LookupResult lookup) {
        assertThat(lookup).isInstanceOf(LookupResult.Failed.class);
        return (LookupResult.Failed) lookup;
    }

    private static String displayName(LookupResult lookup) {
        assertThat(lookup).isInstanceOf(LookupResult.Found.class);
        return ((LookupResult.Found) lookup).profile().displayName();
    }

    @Test
    void finds_the_standard_claims_of_the_tokens_subject_at_an_endpoint_on_another_host_than_the_portal() {
        assertThat(lookUpAt("full")).isEqualTo(new LookupResult.Found(
                new UserProfile("alice", "Alice", "Liddell", "alice@example.test", "Alice Liddell")));
        assertThat(endpoint.accept).isEqualTo("application/json");
    }

    @Test
    void greets_by_name_else_given_and_family_name_else_preferred_username_else_sub() {
        assertThat(displayName(lookUpAt("full"))).isEqualTo("Alice Liddell");
        assertThat(displayName(lookUpAt("given-and-family"))).isEqualTo("Alice Liddell");
        assertThat(displayName(lookUpAt("username-only"))).isEqualTo("alice.l");
        assertThat(displayName(lookUpAt("sub-only"))).isEqualTo("alice");
    }

    @Test
    void reports_a_token_the_provider_no_longer_accepts_as_refused() {
        assertThat(lookUpAt("full", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.cmV2b2tlZA"))
                .isInstanceOf(LookupResult.TokenRefused.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"500", "503"})
    void maps_a_server_error_to_portal_unavailable(String status) {
        LookupResult.Failed failed = failed(lookUpAt(status));

        assertThat(failed.reason()).isEqualTo(Rejection.PORTAL_UNAVAILABLE);
        assertThat(failed.detail()).isEqualTo("status " + status);
    }

    @ParameterizedTest
    @CsvSource({
            "another-subject, userinfo answer for another subject",
            "no-sub, userinfo answer without sub",
            "numeric-sub, userinfo claim sub is not a string",
            "name-object, userinfo claim name is not a string",
            "email-array, userinfo claim email is not a string",
            "garbage, unreadable userinfo answer",
            "array, userinfo answer is not a JSON object",
            "html, userinfo answer is not application/json",
            "jwt, 'userinfo answer is a JWT, only JSON is read'",
            "not-found, unexpected status 404"})
    void maps_an_answer_that_is_not_the_tokens_subject_in_json_to_a_bad_response_that_names_the_fault(
            String behaviour, String detail) {
        LookupResult.Failed failed = failed(lookUpAt(behaviour));

        assertThat(failed.reason()).isEqualTo(Rejection.PORTAL_BAD_RESPONSE);
        assertThat(failed.detail()).isEqualTo(detail);
    }

    @Test
    void says_in_the_log_that_a_signed_jwt_answer_is_not_read() {
        List<String> lines;
        try (CapturedLogs logs = new CapturedLogs()) {
            lookUpAt("jwt");
            lines = logs.lines();
        }

        assertThat(lines).anyMatch(line -> line.contains("application/jwt") && line.contains("JSON userinfo"));
    }

    @Test
    void never_logs_the_token() {
        List<String> lines;
        try (CapturedLogs logs = new CapturedLogs()) {
            for (String behaviour : List.of("full", "forbidden", "500", "garbage", "another-subject", "jwt", "slow")) {
                lookUpAt(behaviour);
            }
            lines = logs.lines();
        }

        assertThat(lines).isNotEmpty().noneMatch(line -> line.contains(FakeUserinfoEndpoint.VALID_TOKEN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/userinfo", "//idp.example/userinfo", "ftp://idp.example/userinfo",
            "https://user:pw@idp.example/userinfo", "https://idp.example/userinfo#me", "https:/userinfo"})
    void refuses_a_userinfo_uri_that_is_not_an_absolute_http_uri_of_a_host(String uri) {
        assertThatIllegalArgumentException().isThrownBy(
                () -> new MicronautHttpOidcUserDirectory(portal, URI.create(uri), json));
    }
}
