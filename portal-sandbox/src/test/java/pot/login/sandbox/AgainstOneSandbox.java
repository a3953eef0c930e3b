package pot.login.sandbox;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** For test classes whose tests share one running sandbox, started with {@link PortalClient#settings()}. */
abstract class AgainstOneSandbox {

    static PortalSandbox sandbox;
    static PortalClient portal;

    @BeforeAll
    static void startSandbox() {
        sandbox = PortalSandbox.start(PortalClient.settings());
        portal = new PortalClient(sandbox);
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }
}
