package pot.login.adapters.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.micronaut.context.annotation.Property;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
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

@MicronautTest
@Property(name = "spec.name", value = "MicronautHttpUserDirectoryTest")
@Property(name = "micronaut.security.enabled", value = "false")
class MicronautHttpUserDirectoryTest extends UserDirectoryContract {

    static final String PERSON_ID = "a8c4a0a2-5b5e-4f8c-9a45-7f0c5c1b7e10";

    @Inject
    EmbeddedServer server;

    @Inject
    FakeUserEndpoint endpoint;

    private HttpClient portal;
    private final List<HttpClient> opened = new ArrayList<>();

    @BeforeEach
    void connect() {
        portal = PortalClients.create(server.getURL());
    }

    @AfterEach
    void disconnect() {
        portal.close();
        opened.forEach(HttpClient::close);
    }

    @Override
    protected UserDirectory directoryWith(Portal behaviour) {
        return switch (behaviour) {
            case KNOWS_THE_USER -> new MicronautHttpUserDirectory(portal, "/me/person");
            case REFUSES_THE_TOKEN -> new MicronautHttpUserDirectory(portal, "/me/forbidden");
            case FAILS -> new MicronautHttpUserDirectory(portal, "/me/503");
            case ANSWERS_GARBAGE -> new MicronautHttpUserDirectory(portal, "/me/garbage");
            case ANSWERS_FOR_ANOTHER_SUBJECT -> new MicronautHttpUserDirectory(portal, "/me/another-person");
            case IS_SLOW -> new MicronautHttpUserDirectory(portal, "/me/slow");
            case IS_UNREACHABLE -> new MicronautHttpUserDirectory(unreachable(), "/me/person");
        };
    }

    private HttpClient unreachable() {
        HttpClient nowhere = PortalClients.create(PortalClients.closedPort());
        opened.add(nowhere);
        return nowhere;
    }

    @Override
    protected AccessToken token() {
        return new AccessToken(FakeUserEndpoint.VALID_TOKEN);
    }

    @Override
    protected UserProfile knownUser() {
        return new UserProfile(PERSON_ID, "Demo", "User", "demo@example.test");
    }

    /** The token's subject is the known person's {@code @id}. */
    LookupResult lookUpAt(String mePath, String token) {
        return lookUpAt(mePath, token, PERSON_ID);
    }

    LookupResult lookUpAt(String mePath, String token, String subject) {
        return new MicronautHttpUserDirectory(portal, mePath).lookUp(new AccessToken(token), subject);
    }

    static LookupResult.Failed failed(LookupResult lookup) {
        assertThat(lookup).isInstanceOf(LookupResult.Failed.class);
        return (LookupResult.Failed) lookup;
    }

    @Test
    void finds_the_person_behind_the_token() {
        LookupResult lookup = lookUpAt("/me/person", FakeUserEndpoint.VALID_TOKEN);

        assertThat(lookup).isEqualTo(new LookupResult.Found(new UserProfile("a8c4a0a2-5b5e-4f8c-9a45-7f0c5c1b7e10",
                "Demo", "User", "demo@example.test")));
        assertThat(endpoint.accept).isEqualTo("application/json");
    }

    @Test
    void finds_a_person_without_names_or_email() {
        assertThat(lookUpAt("/me/person-without-names", FakeUserEndpoint.VALID_TOKEN, "b1"))
                .isEqualTo(new LookupResult.Found(new UserProfile("b1", "", "", "")));
    }

    @Test
    void reports_a_token_the_portal_no_longer_accepts_as_refused() {
        assertThat(lookUpAt("/me/person", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.cmV2b2tlZA"))
                .isInstanceOf(LookupResult.TokenRefused.class);
    }

    @Test
    void reports_a_forbidden_answer_as_a_refused_token() {
        assertThat(lookUpAt("/me/forbidden", FakeUserEndpoint.VALID_TOKEN)).isInstanceOf(LookupResult.TokenRefused.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"500", "503"})
    void maps_a_server_error_to_portal_unavailable(String status) {
        LookupResult.Failed failed = failed(lookUpAt("/me/" + status, FakeUserEndpoint.VALID_TOKEN));

        assertThat(failed.reason()).isEqualTo(Rejection.PORTAL_UNAVAILABLE);
        assertThat(failed.detail()).isEqualTo("status " + status);
    }

    @ParameterizedTest
    @CsvSource({
            "garbage, unreadable user document",
            "html, user response without a JSON body",
            "person-without-id, user document without @id",
            "another-person, user document for another subject",
            "person-with-null-id, user document without @id",
            "person-with-numeric-id, 'user document whose @id is a number, not a string'",
            "person-with-blank-id, user document whose @id is blank",
            "person-with-listed-first-name, 'user document whose firstName is an array, not a string'",
            "person-with-object-last-name, 'user document whose lastName is an object, not a string'",
            "person-with-boolean-email, 'user document whose email is a boolean, not a string'",
            "people, user document is not a JSON object but an array",
            "not-found, unexpected status 404"})
    void maps_an_answer_that_is_not_a_person_to_a_bad_response(String behaviour, String detail) {
        LookupResult.Failed failed = failed(lookUpAt("/me/" + behaviour, FakeUserEndpoint.VALID_TOKEN));

        assertThat(failed.reason()).isEqualTo(Rejection.PORTAL_BAD_RESPONSE);
        assertThat(failed.detail()).isEqualTo(detail);
    }

    @Test
    void maps_an_answer_slower_than_the_read_timeout_to_portal_timeout() {
        assertThat(failed(lookUpAt("/me/slow", FakeUserEndpoint.VALID_TOKEN)).reason())
                .isEqualTo(Rejection.PORTAL_TIMEOUT);
    }

    @Test
    void maps_a_refused_connection_to_portal_unavailable() {
        try (HttpClient nowhere = PortalClients.create(PortalClients.closedPort())) {
            LookupResult lookup = new MicronautHttpUserDirectory(nowhere, "/me/person").lookUp(
                    new AccessToken(FakeUserEndpoint.VALID_TOKEN), PERSON_ID);

            assertThat(failed(lookup).reason()).isEqualTo(Rejection.PORTAL_UNAVAILABLE);
        }
    }

    @Test
    void logs_which_field_of_the_user_document_is_missing_or_of_the_wrong_type() {
        List<String> lines;
        try (CapturedLogs logs = new CapturedLogs()) {
            lookUpAt("/me/person-without-id", FakeUserEndpoint.VALID_TOKEN);
            lookUpAt("/me/person-with-listed-first-name", FakeUserEndpoint.VALID_TOKEN);
            lines = logs.lines();
        }

        assertThat(lines).containsExactly(
                "User lookup failed: reason=portal_bad_response status=200 (user document without @id)",
                "User lookup failed: reason=portal_bad_response status=200 "
                        + "(user document whose firstName is an array, not a string)");
    }

    @Test
    void never_logs_the_token() {
        List<String> lines;
        try (CapturedLogs logs = new CapturedLogs()) {
            for (String behaviour : List.of("person", "forbidden", "500", "garbage", "person-without-id", "slow")) {
                lookUpAt("/me/" + behaviour, FakeUserEndpoint.VALID_TOKEN);
            }
            lines = logs.lines();
        }

        assertThat(lines).isNotEmpty().noneMatch(line -> line.contains(FakeUserEndpoint.VALID_TOKEN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"api/me", "//evil.example/api/me", "https://evil.example/api/me", "/api/ me"})
    void refuses_a_user_path_that_could_leave_the_portal(String mePath) {
        assertThatIllegalArgumentException().isThrownBy(() -> new MicronautHttpUserDirectory(portal, mePath));
    }
}
