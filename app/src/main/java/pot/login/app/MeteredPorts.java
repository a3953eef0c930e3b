package pot.login.app;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import pot.login.domain.AccessToken;
import pot.login.domain.AuthorizationCode;
import pot.login.domain.CodeVerifier;
import pot.login.domain.IdToken;
import pot.login.domain.RefreshToken;
import pot.login.domain.RevocableToken;
import pot.login.domain.SessionCookie;
import pot.login.domain.SessionId;
import pot.login.domain.port.in.Callback;
import pot.login.domain.port.in.CompleteLogin;
import pot.login.domain.port.in.LoginOutcome;
import pot.login.domain.port.in.LoginStarted;
import pot.login.domain.port.in.RenewSession;
import pot.login.domain.port.in.RefreshSignOut;
import pot.login.domain.port.in.Renewal;
import pot.login.domain.port.in.SignOut;
import pot.login.domain.port.in.SignOutOutcome;
import pot.login.domain.port.in.StartLogin;
import pot.login.domain.port.out.ExchangeResult;
import pot.login.domain.port.out.IdTokenResult;
import pot.login.domain.port.out.IdTokenVerifier;
import pot.login.domain.port.out.LookupResult;
import pot.login.domain.port.out.MarkResult;
import pot.login.domain.port.out.RefreshResult;
import pot.login.domain.port.out.RememberResult;
import pot.login.domain.port.out.SignOutCheck;
import pot.login.domain.port.out.SignedOutSessions;
import pot.login.domain.port.out.TokenExchange;
import pot.login.domain.port.out.TokenRefresh;
import pot.login.domain.port.out.TokenRevocation;
import pot.login.domain.port.out.TokenVerifier;
import pot.login.domain.port.out.UsedStates;
import pot.login.domain.port.out.UserDirectory;
import pot.login.domain.port.out.VerificationResult;

/**
 * The ports with their calls counted and timed ({@link LoginMetrics}), each in front of the port LoginWiring made:
 * the domain stays free of Micrometer, and each outcome is named from the port's own sealed result.
 */
final class MeteredPorts {

    private MeteredPorts() {
    }

    /** The flow's two login use cases, counted by how they end. */
    record Logins(StartLogin start, CompleteLogin complete, LoginMetrics metrics) implements StartLogin, CompleteLogin {

        @Override
        public LoginStarted start(String returnTo, Map<String, String> flowCookies) {
            LoginStarted started = start.start(returnTo, flowCookies);
            metrics.loginStarted();
            return started;
        }

        @Override
        public LoginOutcome complete(Callback callback) {
            LoginOutcome outcome = complete.complete(callback);
            switch (outcome) {
                case LoginOutcome.Completed completed -> metrics.loginCompleted();
                case LoginOutcome.Rejected rejected -> metrics.loginRefused(rejected.reason());
            }
            return outcome;
        }
    }

    /** Renewals that did something; {@code NotNeeded}, every fresh session's page view, is not counted. */
    record Renewals(RenewSession delegate, LoginMetrics metrics) implements RenewSession {

        @Override
        public Renewal renew(Optional<Renewal.Current> current, Optional<String> refreshCookie) {
            Renewal renewal = delegate.renew(current, refreshCookie);
            switch (renewal) {
                case Renewal.NotNeeded() -> {
                }
                case Renewal.Renewed renewed -> metrics.sessionRenewal("renewed");
                case Renewal.Ended ended -> metrics.sessionRenewal("ended");
                case Renewal.Postponed postponed -> metrics.sessionRenewal("postponed");
                case Renewal.Unavailable unavailable -> metrics.sessionRenewal("unavailable");
            }
            return renewal;
        }

        @Override
        public RefreshSignOut signOut(String refreshCookie) {
            return delegate.signOut(refreshCookie);
        }

        @Override
        public SessionCookie clearedRefreshCookie() {
            return delegate.clearedRefreshCookie();
        }
    }

    /**
     * Sign-outs of a session; clearing the cookie of a request without one is no sign-out. Every method forwards:
     * the interface's defaults would drop the ID-token hint or the refresh token on the way.
     */
    record SignOuts(SignOut delegate, LoginMetrics metrics) implements SignOut {

        @Override
        public SignOutOutcome signOut(AccessToken token, Instant sessionEndsAt) {
            return counted(delegate.signOut(token, sessionEndsAt));
        }

        @Override
        public SignOutOutcome signOut(AccessToken token, Instant sessionEndsAt, Optional<IdToken> idTokenHint) {
            return counted(delegate.signOut(token, sessionEndsAt, idTokenHint));
        }

        @Override
        public SignOutOutcome signOut(AccessToken token, Instant sessionEndsAt, Optional<IdToken> idTokenHint,
                                      Optional<RefreshToken> refreshToken) {
            return counted(delegate.signOut(token, sessionEndsAt, idTokenHint, refreshToken));
        }

        @Override
        public SessionCookie signOut() {
            return delegate.signOut();
        }

        @Override
        public SessionCookie signOut(Optional<RefreshToken> refreshToken) {
            return delegate.signOut(refreshToken);
        }

        private SignOutOutcome counted(SignOutOutcome outcome) {
            metrics.signOut(switch (outcome) {
                case SignOutOutcome.Ended ended -> "ended";
                case SignOutOutcome.CookieClearedOnly cleared -> "cookie_cleared_only";
            });
            return outcome;
        }
    }

    record Exchange(TokenExchange delegate, LoginMetrics metrics) implements TokenExchange {

        @Override
        public ExchangeResult exchange(AuthorizationCode code, Optional<CodeVerifier> codeVerifier) {
            return metrics.portalCall("token_exchange", () -> delegate.exchange(code, codeVerifier),
                    result -> switch (result) {
                        case ExchangeResult.Issued issued -> "ok";
                        case ExchangeResult.Failed failed -> LoginMetrics.outcomeOf(failed.reason());
                    });
        }
    }

    record Refresh(TokenRefresh delegate, LoginMetrics metrics) implements TokenRefresh {

        @Override
        public RefreshResult refresh(RefreshToken token) {
            return metrics.portalCall("token_refresh", () -> delegate.refresh(token), result -> switch (result) {
                case RefreshResult.Issued issued -> "ok";
                case RefreshResult.Refused refused -> "refused";
                case RefreshResult.Failed failed -> LoginMetrics.outcomeOf(failed.reason());
            });
        }
    }

    /** The port reports nothing back (best effort, RFC 7009 §2.2): its time, with the outcome {@code unknown}. */
    record Revocation(TokenRevocation delegate, LoginMetrics metrics) implements TokenRevocation {

        @Override
        public void revoke(RevocableToken token) {
            metrics.portalCall("token_revocation", () -> {
                delegate.revoke(token);
                return null;
            }, nothing -> "unknown");
        }
    }

    record Users(UserDirectory delegate, LoginMetrics metrics) implements UserDirectory {

        @Override
        public LookupResult lookUp(AccessToken token, String subject) {
            return metrics.portalCall("user_lookup", () -> delegate.lookUp(token, subject), result -> switch (result) {
                case LookupResult.Found found -> "ok";
                case LookupResult.TokenRefused refused -> "refused";
                case LookupResult.Failed failed -> LoginMetrics.outcomeOf(failed.reason());
            });
        }
    }

    /** At sign-in and renewal; {@code unavailable} is the portal's keys (JWKS) that could not be had. */
    record Tokens(TokenVerifier delegate, LoginMetrics metrics) implements TokenVerifier {

        @Override
        public VerificationResult verify(AccessToken token) {
            return metrics.portalCall("token_verification", () -> delegate.verify(token), result -> switch (result) {
                case VerificationResult.Verified verified -> "ok";
                case VerificationResult.Refused refused -> "refused";
                case VerificationResult.Unavailable unavailable -> "unavailable";
            });
        }
    }

    record IdTokens(IdTokenVerifier delegate, LoginMetrics metrics) implements IdTokenVerifier {

        @Override
        public IdTokenResult verify(IdToken idToken) {
            return metrics.portalCall("id_token_verification", () -> delegate.verify(idToken),
                    result -> switch (result) {
                        case IdTokenResult.Verified verified -> "ok";
                        case IdTokenResult.Refused refused -> "refused";
                        case IdTokenResult.Unavailable unavailable -> "unavailable";
                    });
        }
    }

    record States(UsedStates delegate, LoginMetrics metrics) implements UsedStates {

        @Override
        public MarkResult markUsed(String stateId, Instant expiresAt) {
            return metrics.storeCall("used_state_mark", () -> delegate.markUsed(stateId, expiresAt),
                    result -> switch (result) {
                        case MarkResult.Marked marked -> "ok";
                        case MarkResult.AlreadyUsed used -> "already_used";
                        case MarkResult.Unavailable unavailable -> "unavailable";
                    });
        }
    }

    record SignedOut(SignedOutSessions delegate, LoginMetrics metrics) implements SignedOutSessions {

        @Override
        public RememberResult remember(SessionId session, Instant until) {
            return metrics.storeCall("signed_out_remember", () -> delegate.remember(session, until),
                    result -> switch (result) {
                        case RememberResult.Remembered remembered -> "ok";
                        case RememberResult.Unavailable unavailable -> "unavailable";
                    });
        }

        @Override
        public SignOutCheck check(SessionId session) {
            return metrics.storeCall("signed_out_check", () -> delegate.check(session), result -> switch (result) {
                case SignOutCheck.NotSignedOut notSignedOut -> "ok";
                case SignOutCheck.SignedOut signedOut -> "signed_out";
                case SignOutCheck.Unavailable unavailable -> "unavailable";
            });
        }
    }
}
