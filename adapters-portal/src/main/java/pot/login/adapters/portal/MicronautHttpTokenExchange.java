package pot.login.adapters.portal;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.security.oauth2.endpoint.token.response.OpenIdTokenResponse;
import io.micronaut.security.oauth2.endpoint.token.response.TokenError;
import io.micronaut.security.oauth2.endpoint.token.response.TokenErrorResponse;
import io.micronaut.security.oauth2.grants.AuthorizationCodeGrant;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pot.login.domain.AccessToken;
import pot.login.domain.AuthorizationCode;
import pot.login.domain.CodeVerifier;
import pot.login.domain.IdToken;
import pot.login.domain.RefreshToken;
import pot.login.domain.port.out.ExchangeFailure;
import pot.login.domain.port.out.ExchangeResult;
import pot.login.domain.port.out.RefreshResult;
import pot.login.domain.port.out.TokenExchange;

/**
 * Step 7 over Micronaut's HTTP client: the RFC 6749 §4.1.3 token request, form-encoded, to the portal's token
 * endpoint. Blocking, because the flow runs on a blocking executor; never retried, because a code is single use and a
 * retry after a lost answer can only fail or, worse, hide which attempt the portal honoured.
 *
 * <p>Neither the code, the client secret nor the token ever reaches a log line or a {@code detail}: failures are
 * described by a reason, the status and, for RFC 6749 errors, the error code alone.
 *
 * <p>Also makes the refresh of ADR-0007 (RFC 6749 §6) for {@link MicronautHttpTokenRefresh}: the same endpoint,
 * client authentication and checks of the answer. The refresh token likewise never reaches a log line or a
 * {@code detail}.
 */
public final class MicronautHttpTokenExchange implements TokenExchange {

    private static final Logger LOG = LoggerFactory.getLogger(MicronautHttpTokenExchange.class);
    private static final String CODE_GRANT = "authorization_code";
    private static final String REFRESH_GRANT = "refresh_token";
    private static final String BEARER = "Bearer";

    private final HttpClient portal;
    private final TokenRequestSettings settings;

    /**
     * @param portal a client whose base URL is the portal's API root; its read timeout, max content length and
     *               redirect policy (redirects off: a 307 would replay the secret elsewhere) come from configuration
     */
    public MicronautHttpTokenExchange(HttpClient portal, TokenRequestSettings settings) {
        this.portal = Objects.requireNonNull(portal, "portal");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public ExchangeResult exchange(AuthorizationCode code, Optional<CodeVerifier> codeVerifier) {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(codeVerifier, "codeVerifier");
        try {
            // The OpenID Connect shape: an OAuth 2.0 response plus its optional id_token, which the flow decides on.
            HttpResponse<OpenIdTokenResponse> response = portal.toBlocking().exchange(request(code, codeVerifier),
                    Argument.of(OpenIdTokenResponse.class), Argument.of(TokenErrorResponse.class));
            return issued(response);
        } catch (HttpClientResponseException e) {
            return refused(CODE_GRANT, e);
        } catch (HttpClientException e) {
            return failed(PortalFailure.ofTransport(e));
        }
    }

    /** The refresh of {@link MicronautHttpTokenRefresh}: one request shape, one set of checks of the answer. */
    RefreshResult refresh(RefreshToken token) {
        Objects.requireNonNull(token, "token");
        ExchangeResult result;
        try {
            HttpResponse<OpenIdTokenResponse> response = portal.toBlocking().exchange(refreshRequest(token),
                    Argument.of(OpenIdTokenResponse.class), Argument.of(TokenErrorResponse.class));
            Optional<PortalFailure> unusable = unusable(response).or(() -> Optional.ofNullable(
                    response.body().getExpiresIn()).filter(seconds -> seconds <= 0).map(seconds -> PortalFailure
                    .badResponse(response.code(), "refresh response with a non-positive expires_in")));
            if (unusable.isEmpty()) {
                return refreshed(response.body());
            }
            result = failed(REFRESH_GRANT, unusable.get());
        } catch (HttpClientResponseException e) {
            result = refused(REFRESH_GRANT, e);
        } catch (HttpClientException e) {
            result = failed(REFRESH_GRANT, PortalFailure.ofTransport(e));
        }
        return switch (result) {
            case ExchangeResult.Issued(AccessToken access, Duration expiresIn, Optional<IdToken> idToken,
                                       Optional<RefreshToken> rotated) ->
                    new RefreshResult.Issued(access, expiresIn, rotated, idToken);
            // invalid_grant: the refresh token is expired, revoked or rotated away (RFC 6749 §5.2).
            case ExchangeResult.Failed(ExchangeFailure reason, String detail) when reason
                    == ExchangeFailure.CODE_REJECTED -> new RefreshResult.Refused(detail);
            case ExchangeResult.Failed(ExchangeFailure reason, String detail) -> new RefreshResult.Failed(reason, detail);
        };
    }

    private MutableHttpRequest<Map<String, String>> refreshRequest(RefreshToken token) {
        // RefreshTokenGrant has no form map of its own: the RFC 6749 §6 fields, as AuthorizationCodeGrant writes them.
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", REFRESH_GRANT);
        form.put("refresh_token", token.value());
        form.put("client_id", settings.clientId());
        return authenticated(form);
    }

    private MutableHttpRequest<Map<String, String>> request(AuthorizationCode code, Optional<CodeVerifier> codeVerifier) {
        AuthorizationCodeGrant grant = new AuthorizationCodeGrant();
        grant.setCode(code.value());
        codeVerifier.ifPresent(verifier -> grant.setCodeVerifier(verifier.value()));
        grant.setRedirectUri(settings.redirectUri().toString());
        grant.setClientId(settings.clientId());
        return authenticated(new LinkedHashMap<>(grant.toMap()));
    }

    private MutableHttpRequest<Map<String, String>> authenticated(Map<String, String> form) {
        return ClientAuthenticatedPost.to(settings.tokenEndpoint(), form, settings)
                .accept(MediaType.APPLICATION_JSON_TYPE);
    }

    private static ExchangeResult issued(HttpResponse<OpenIdTokenResponse> response) {
        Optional<PortalFailure> unusable = unusable(response);
        if (unusable.isPresent()) {
            return failed(unusable.get());
        }
        OpenIdTokenResponse token = response.body();
        // expires_in is optional in RFC 6749, but without it we could not bound the session cookie's lifetime.
        if (token.getExpiresIn() == null || token.getExpiresIn() <= 0) {
            return failed(PortalFailure.badResponse(response.code(), "token response without a positive expires_in"));
        }
        return new ExchangeResult.Issued(new AccessToken(token.getAccessToken()),
                Duration.ofSeconds(token.getExpiresIn()), idToken(token), refreshToken(token));
    }

    /**
     * RFC 6749 §5.1 makes {@code expires_in} RECOMMENDED: a refresh answered without it has still been honoured (and,
     * with rotation, has spent the old refresh token), so it is issued, and the renewed token's verified {@code exp}
     * bounds the cookie.
     */
    private static RefreshResult refreshed(OpenIdTokenResponse token) {
        return new RefreshResult.Issued(new AccessToken(token.getAccessToken()),
                Optional.ofNullable(token.getExpiresIn()).map(Duration::ofSeconds), refreshToken(token),
                idToken(token));
    }

    /** What makes a 2xx answer of the token endpoint no token response at all, for the sign-in and the refresh. */
    private static Optional<PortalFailure> unusable(HttpResponse<OpenIdTokenResponse> response) {
        int status = response.code();
        if (status != HttpStatus.OK.getCode()) {
            return Optional.of(PortalFailure.ofStatus(status));
        }
        Optional<OpenIdTokenResponse> body = response.getBody();
        if (body.isEmpty()) {
            return Optional.of(PortalFailure.badResponse(status, "token response without a JSON body"));
        }
        OpenIdTokenResponse token = body.get();
        if (token.getAccessToken() == null || token.getAccessToken().isBlank()) {
            return Optional.of(PortalFailure.badResponse(status, "token response without access_token"));
        }
        if (!BEARER.equalsIgnoreCase(token.getTokenType())) {
            return Optional.of(PortalFailure.badResponse(status, "token_type is not Bearer"));
        }
        return Optional.empty();
    }

    private static Optional<IdToken> idToken(OpenIdTokenResponse token) {
        return Optional.ofNullable(token.getIdToken()).filter(value -> !value.isBlank()).map(IdToken::new);
    }

    private static Optional<RefreshToken> refreshToken(OpenIdTokenResponse token) {
        return Optional.ofNullable(token.getRefreshToken()).filter(value -> !value.isBlank()).map(RefreshToken::new);
    }

    private static ExchangeResult refused(String grant, HttpClientResponseException e) {
        int status = e.code();
        if (status < 400) {
            // Micronaut reports a 2xx whose body it could not decode this way.
            return failed(grant, PortalFailure.badResponse(status, "unreadable token response"));
        }
        if (status >= 500) {
            return failed(grant, PortalFailure.ofStatus(status));
        }
        return errorCode(e).map(error -> failed(grant, rfc6749Error(error, status)))
                .orElseGet(() -> failed(grant, PortalFailure.ofStatus(status)));
    }

    /**
     * The RFC 6749 §5.2 error, if the body is one. An error code outside §5.2 does not decode, and its description is
     * never read: it may echo our input.
     */
    private static Optional<TokenError> errorCode(HttpClientResponseException e) {
        return e.getResponse().getBody(TokenErrorResponse.class).map(TokenErrorResponse::getError);
    }

    private static PortalFailure rfc6749Error(TokenError error, int status) {
        // Every §5.2 error but invalid_grant means our client setup and the portal's registration disagree: no user
        // can fix that by signing in again.
        ExchangeFailure reason = error == TokenError.INVALID_GRANT ? ExchangeFailure.CODE_REJECTED
                : ExchangeFailure.CLIENT_REJECTED;
        return new PortalFailure(reason, error.toString(), status);
    }

    private static ExchangeResult failed(PortalFailure failure) {
        return failed(CODE_GRANT, failure);
    }

    /** The grant is named so that a refused refresh is not read as a refused sign-in (both say invalid_grant). */
    private static ExchangeResult failed(String grant, PortalFailure failure) {
        LOG.warn("Token request failed: grant_type={} reason={} status={}", grant,
                failure.reason().rejection().code(), failure.statusText());
        return new ExchangeResult.Failed(failure.reason(), failure.detail());
    }
}
