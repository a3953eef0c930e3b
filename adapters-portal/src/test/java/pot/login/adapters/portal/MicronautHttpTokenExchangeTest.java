package pot.login.adapters.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.annotation.Property;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import pot.login.domain.AccessToken;
import pot.login.domain.AuthorizationCode;
import pot.login.domain.CodeVerifier;
import pot.login.domain.IdToken;
import pot.login.domain.RefreshToken;
import pot.login.domain.Secret;
import pot.login.domain.port.out.ExchangeFailure;
import pot.login.domain.port.out.ExchangeResult;
import pot.login.domain.port.out.RefreshResult;
import pot.login.domain.port.out.TokenExchange;
import pot.login.domain.port.out.TokenExchangeContract;

@MicronautTest
@Property(name = "spec.name", value = "MicronautHttpTokenExchangeTest")
// The fake's routes are plain test fixtures: micronaut-security, on this module's classpath, would deny them.
@Property(name = "micronaut.security.enabled", value = "false")
class MicronautHttpTokenExchangeTest extends TokenExchangeContract {

    static final String CLIENT_ID = "demo-client";
    static final String CLIENT_SECRET = "s3cret value/with+reserved&chars";
    static final AuthorizationCode CODE = new AuthorizationCode("code-4f9c2a7e-single-use");
    static final URI REDIRECT_URI = URI.create("http://localhost:8080/login/complete");

    @Inject
    EmbeddedServer server;

    @Inject
    FakeAuthorizationBackend backend;

    private HttpClient portal;
    private final List<HttpClient> opened = new ArrayList<>();

    private static final RefreshToken PRESENTED_REFRESH = new RefreshToken("the-presented-refresh-token-Zk1");

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
    protected TokenExchange exchangeWith(Portal behaviour) {
        HttpClient client = behaviour == Portal.IS_UNREACHABLE ? unreachable() : portal;
        String path = switch (behaviour) {
            case ISSUES_A_TOKEN, IS_UNREACHABLE -> "/token/issued";
            case REFUSES_THE_CODE -> "/token/error/invalid_grant";
            case REFUSES_THE_CLIENT -> "/token/error/invalid_client";
            case FAILS -> "/token/503";
            case ANSWERS_GARBAGE -> "/token/garbage-json";
            case IS_SLOW -> "/token/slow";
        };
        return new MicronautHttpTokenExchange(client, settings(path, ClientAuthentication.CLIENT_SECRET_POST));
    }

    private HttpClient unreachable() {
        HttpClient nowhere = PortalClients.create(PortalClients.closedPort());
        opened.add(nowhere);
        return nowhere;
    }

    @Override
    protected AccessToken issuedToken() {
        return new AccessToken(FakeAuthorizationBackend.ACCESS_TOKEN);
    }

    @Override
    protected Duration issuedLifetime() {
        return Duration.ofSeconds(86400);
    }

    static TokenRequestSettings settings(String tokenPath, ClientAuthentication authentication) {
        return new TokenRequestSettings(tokenPath, CLIENT_ID, Secret.of("pot-login.client-secret", CLIENT_SECRET),
                REDIRECT_URI, authentication);
    }

    ExchangeResult exchangeAt(String tokenPath) {
        return exchangeAt(tokenPath, ClientAuthentication.CLIENT_SECRET_POST);
    }

    ExchangeResult exchangeAt(String tokenPath, ClientAuthentication authentication) {
        return new MicronautHttpTokenExchange(portal, settings(tokenPath, authentication)).exchange(CODE,
                Optional.empty());
    }

    static ExchangeResult.Failed failed(ExchangeResult result) {
        assertThat(result).isInstanceOf(ExchangeResult.Failed.class);
        return (ExchangeResult.Failed) result;
    }

    @Test
    void exchanges_the_code_for_a_bearer_token_with_the_secret_in_the_form() {
        ExchangeResult result = exchangeAt("/token/issued");

        assertThat(result).isInstanceOf(ExchangeResult.Issued.class);
        ExchangeResult.Issued issued = (ExchangeResult.Issued) result;
        assertThat(issued.token().value()).isEqualTo(FakeAuthorizationBackend.ACCESS_TOKEN);
        assertThat(issued.expiresIn()).isEqualTo(Duration.ofSeconds(86400));
        assertThat(backend.form).isEqualTo(Map.of(
                "grant_type", "authorization_code",
                "code", CODE.value(),
                "redirect_uri", REDIRECT_URI.toString(),
                "client_id", CLIENT_ID,
                "client_secret", CLIENT_SECRET));
        assertThat(backend.authorization).isNull();
        assertThat(backend.contentType).startsWith("application/x-www-form-urlencoded");
        assertThat(backend.accept).isEqualTo("application/json");
    }

    @Test
    void an_absolute_token_endpoint_is_called_as_named_whatever_the_clients_base_url() {
        // A discovered token endpoint may be on another host than the API root: the portal client, based elsewhere
        // (here where nothing listens), must send the request to the absolute URI, with its own waits and limits.
        HttpClient basedElsewhere = unreachable();
        TokenRequestSettings settings = new TokenRequestSettings(URI.create(server.getURL() + "/token/issued"),
                CLIENT_ID, Secret.of("pot-login.client-secret", CLIENT_SECRET), REDIRECT_URI,
                ClientAuthentication.CLIENT_SECRET_POST);

        ExchangeResult result = new MicronautHttpTokenExchange(basedElsewhere, settings).exchange(CODE,
                Optional.empty());

        assertThat(result).isInstanceOf(ExchangeResult.Issued.class);
        assertThat(backend.form).containsEntry("client_secret", CLIENT_SECRET);
    }

    @Test
    void sends_the_secret_form_encoded_in_a_basic_header_and_not_in_the_form_with_client_secret_basic() {
        ExchangeResult result = exchangeAt("/token/issued", ClientAuthentication.CLIENT_SECRET_BASIC);

        assertThat(result).isInstanceOf(ExchangeResult.Issued.class);
        assertThat(backend.form).isEqualTo(Map.of(
                "grant_type", "authorization_code",
                "code", CODE.value(),
                "redirect_uri", REDIRECT_URI.toString(),
                "client_id", CLIENT_ID));
        assertThat(backend.authorization).startsWith("Basic ");
        String credentials = new String(Base64.getDecoder().decode(backend.authorization.substring("Basic ".length())),
                StandardCharsets.UTF_8);
        assertThat(credentials).isEqualTo(CLIENT_ID + ":" + URLEncoder.encode(CLIENT_SECRET, StandardCharsets.UTF_8));
    }

    @Test
    void sends_the_pkce_code_verifier_in_the_form_when_the_login_has_one() {
        ExchangeResult result = new MicronautHttpTokenExchange(portal,
                settings("/token/issued", ClientAuthentication.CLIENT_SECRET_POST))
                .exchange(CODE, Optional.of(new CodeVerifier("a-code-verifier-of-the-flow-0123456789abcdefgh")));

        assertThat(result).isInstanceOf(ExchangeResult.Issued.class);
        assertThat(backend.form).containsEntry("code_verifier", "a-code-verifier-of-the-flow-0123456789abcdefgh");
    }

    @Test
    void passes_on_the_id_token_of_an_openid_connect_response_and_none_when_the_response_has_none() {
        assertThat(exchangeAt("/token/with-id-token")).isInstanceOfSatisfying(ExchangeResult.Issued.class,
                issued -> assertThat(issued.idToken()).contains(new IdToken(FakeAuthorizationBackend.ID_TOKEN)));
        assertThat(exchangeAt("/token/issued")).isInstanceOfSatisfying(ExchangeResult.Issued.class,
                issued -> assertThat(issued.idToken()).isEmpty());
    }

    @Test
    void accepts_the_token_type_in_any_case() {
        assertThat(exchangeAt("/token/lowercase-bearer")).isInstanceOf(ExchangeResult.Issued.class);
    }

    @ParameterizedTest
    @CsvSource({
            "invalid_grant, CODE_REJECTED",
            "invalid_client, CLIENT_REJECTED",
            "unauthorized_client, CLIENT_REJECTED",
            "unsupported_grant_type, CLIENT_REJECTED",
            "invalid_scope, CLIENT_REJECTED",
            "invalid_request, CLIENT_REJECTED"})
    void maps_each_rfc6749_error_to_its_rejection_with_the_error_code_as_detail(String error, ExchangeFailure reason) {
        ExchangeResult.Failed failed = failed(exchangeAt("/token/error/" + error));

        assertThat(failed.reason()).isEqualTo(reason);
        assertThat(failed.detail()).isEqualTo(error);
    }

    @ParameterizedTest
    @CsvSource({
            "not-rfc6749-error, unexpected status 400",
            "not-found, unexpected status 404",
            "unauthorized-without-body, unexpected status 401",
            "redirect, unexpected status 307"})
    void maps_an_answer_without_an_rfc6749_error_or_a_token_to_a_bad_response(String behaviour, String detail) {
        ExchangeResult.Failed failed = failed(exchangeAt("/token/" + behaviour));

        assertThat(failed.reason()).isEqualTo(ExchangeFailure.PORTAL_BAD_RESPONSE);
        assertThat(failed.detail()).isEqualTo(detail);
    }

    @ParameterizedTest
    @CsvSource({
            "garbage-json, unreadable token response",
            "html, token response without a JSON body",
            "empty, token response without a JSON body",
            "no-access-token, token response without access_token",
            "blank-access-token, token response without access_token",
            "no-expiry, token response without a positive expires_in",
            "zero-expiry, token response without a positive expires_in",
            "mac-token, token_type is not Bearer"})
    void maps_a_success_that_is_not_a_usable_bearer_token_to_a_bad_response(String behaviour, String detail) {
        ExchangeResult.Failed failed = failed(exchangeAt("/token/" + behaviour));

        assertThat(failed.reason()).isEqualTo(ExchangeFailure.PORTAL_BAD_RESPONSE);
        assertThat(failed.detail()).isEqualTo(detail);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503})
    void maps_a_server_error_to_portal_unavailable(int status) {
        ExchangeResult.Failed failed = failed(exchangeAt("/token/" + status));

        assertThat(failed.reason()).isEqualTo(ExchangeFailure.PORTAL_UNAVAILABLE);
        assertThat(failed.detail()).isEqualTo("status " + status);
    }

    @Test
    void maps_an_answer_slower_than_the_read_timeout_to_portal_timeout() {
        assertThat(failed(exchangeAt("/token/slow")).reason()).isEqualTo(ExchangeFailure.PORTAL_TIMEOUT);
    }

    @Test
    void maps_an_answer_beyond_the_max_content_length_to_a_bad_response() {
        assertThat(failed(exchangeAt("/token/huge")).reason()).isEqualTo(ExchangeFailure.PORTAL_BAD_RESPONSE);
    }

    @Test
    void maps_a_refused_connection_to_portal_unavailable() throws Exception {
        assertThat(failed(exchangeVia(PortalClients.closedPort())).reason()).isEqualTo(ExchangeFailure.PORTAL_UNAVAILABLE);
    }

    @Test
    void maps_a_connection_closed_before_the_answer_to_portal_unavailable() throws Exception {
        try (ServerSocket hangUp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket accepted = hangUp.accept()) {
                    accepted.getInputStream().read();
                } catch (IOException ignored) {
                    // the test fails on the adapter's result, not here
                }
            });
            server.setDaemon(true);
            server.start();
            ExchangeResult.Failed failed = failed(exchangeVia(new URL("http://127.0.0.1:" + hangUp.getLocalPort())));

            assertThat(failed.reason()).isEqualTo(ExchangeFailure.PORTAL_UNAVAILABLE);
            assertThat(failed.detail()).isEqualTo("connection closed before the answer");
        }
    }

    @Test
    void maps_an_unknown_host_to_portal_unavailable() throws Exception {
        assertThat(failed(exchangeVia(new URL("http://portal.invalid"))).reason())
                .isEqualTo(ExchangeFailure.PORTAL_UNAVAILABLE);
    }

    @Test
    void never_reveals_the_code_the_secret_or_the_token_in_a_detail_or_a_log_line() {
        List<String> behaviours = List.of("error/invalid_grant", "error/invalid_client", "error/invalid_request",
                "not-rfc6749-error", "not-found", "unauthorized-without-body", "redirect", "garbage-json", "html",
                "empty", "no-access-token", "no-expiry", "zero-expiry", "mac-token", "500", "503", "slow", "huge");
        List<String> details = new ArrayList<>();
        List<String> logLines;
        try (CapturedLogs logs = new CapturedLogs()) {
            for (ClientAuthentication authentication : ClientAuthentication.values()) {
                for (String behaviour : behaviours) {
                    details.add(failed(exchangeAt("/token/" + behaviour, authentication)).detail());
                }
            }
            details.add(failed(exchangeVia(PortalClients.closedPort())).detail());
            logLines = logs.lines();
        }

        assertThat(logLines).hasSize(details.size());
        String encodedSecret = URLEncoder.encode(CLIENT_SECRET, StandardCharsets.UTF_8);
        for (String text : concat(details, logLines)) {
            assertThat(text).doesNotContain(CLIENT_SECRET, encodedSecret, CODE.value(),
                    FakeAuthorizationBackend.ACCESS_TOKEN, "not accepted for client");
        }
    }

    private RefreshResult refreshAt(String tokenPath, ClientAuthentication authentication) {
        return new MicronautHttpTokenRefresh(portal, settings(tokenPath, authentication)).refresh(PRESENTED_REFRESH);
    }

    @Test
    void passes_on_the_refresh_token_of_a_code_exchange_and_none_when_the_response_has_none() {
        assertThat(((ExchangeResult.Issued) exchangeAt("/token/with-refresh-token")).refreshToken())
                .contains(new RefreshToken(FakeAuthorizationBackend.REFRESH_TOKEN));
        assertThat(((ExchangeResult.Issued) exchangeAt("/token/issued")).refreshToken()).isEmpty();
    }

    @Test
    void refreshes_with_the_refresh_token_grant_and_the_secret_in_the_form_and_passes_on_the_rotated_token() {
        RefreshResult result = refreshAt("/token/with-refresh-token", ClientAuthentication.CLIENT_SECRET_POST);

        assertThat(result).isEqualTo(new RefreshResult.Issued(new AccessToken(FakeAuthorizationBackend.ACCESS_TOKEN),
                Duration.ofSeconds(60), Optional.of(new RefreshToken(FakeAuthorizationBackend.REFRESH_TOKEN)),
                Optional.empty()));
        assertThat(backend.form).isEqualTo(Map.of(
                "grant_type", "refresh_token",
                "refresh_token", PRESENTED_REFRESH.value(),
                "client_id", CLIENT_ID,
                "client_secret", CLIENT_SECRET));
        assertThat(backend.authorization).isNull();
    }

    @Test
    void refreshes_with_the_secret_in_a_basic_header_with_client_secret_basic() {
        refreshAt("/token/issued", ClientAuthentication.CLIENT_SECRET_BASIC);

        assertThat(backend.form).doesNotContainKey("client_secret").containsEntry("grant_type", "refresh_token");
        assertThat(backend.authorization).startsWith("Basic ");
    }

    @Test
    void a_refresh_refused_with_invalid_grant_is_refused_and_a_failing_provider_is_a_failure() {
        assertThat(refreshAt("/token/error/invalid_grant", ClientAuthentication.CLIENT_SECRET_POST))
                .isEqualTo(new RefreshResult.Refused("invalid_grant"));
        assertThat(refreshAt("/token/error/invalid_client", ClientAuthentication.CLIENT_SECRET_POST))
                .isEqualTo(new RefreshResult.Failed(ExchangeFailure.CLIENT_REJECTED, "invalid_client"));
        assertThat(refreshAt("/token/503", ClientAuthentication.CLIENT_SECRET_POST))
                .isInstanceOfSatisfying(RefreshResult.Failed.class,
                        failed -> assertThat(failed.reason()).isEqualTo(ExchangeFailure.PORTAL_UNAVAILABLE));
    }

    @Test
    void never_reveals_either_refresh_token_in_a_detail_or_a_log_line() {
        List<String> texts = new ArrayList<>();
        try (CapturedLogs logs = new CapturedLogs()) {
            for (String behaviour : List.of("error/invalid_grant", "error/invalid_request", "garbage-json", "html",
                    "500", "no-expiry")) {
                texts.add(refreshAt("/token/" + behaviour, ClientAuthentication.CLIENT_SECRET_POST).toString());
            }
            texts.add(refreshAt("/token/with-refresh-token", ClientAuthentication.CLIENT_SECRET_POST).toString());
            texts.addAll(logs.lines());
        }

        assertThat(texts).hasSizeGreaterThan(7);
        for (String text : texts) {
            assertThat(text).doesNotContain(PRESENTED_REFRESH.value(), FakeAuthorizationBackend.REFRESH_TOKEN,
                    CLIENT_SECRET);
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private ExchangeResult exchangeVia(URL apiRoot) {
        try (HttpClient elsewhere = PortalClients.create(apiRoot)) {
            return new MicronautHttpTokenExchange(elsewhere,
                    settings("/token/issued", ClientAuthentication.CLIENT_SECRET_POST)).exchange(CODE,
                    Optional.empty());
        }
    }
}
