package pot.login.adapters.http;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import pot.login.domain.port.in.RenewSession;
import pot.login.domain.session.NoRenewal;

/** Sessions that do not renew, for the tests that do not mock {@link RenewSession} themselves. */
@Factory
class NoRenewalForTests {

    @Singleton
    @Requires(missingBeans = RenewSession.class)
    RenewSession noRenewal() {
        return new NoRenewal("__Host-pot-refresh");
    }
}
