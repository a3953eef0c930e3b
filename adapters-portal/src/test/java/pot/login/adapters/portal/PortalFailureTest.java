package pot.login.adapters.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.http.client.exceptions.HttpClientException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import pot.login.domain.Rejection;

class PortalFailureTest {

    @Test
    void a_blocking_call_on_an_event_loop_is_our_bug_not_a_portal_outage() {
        // Found by PortalFaultsSystemTest: without @ExecuteOn every login looked like "portal_unavailable".
        HttpClientException misuse = new HttpClientException("You are trying to run a BlockingHttpClient operation on "
                + "a netty event loop thread. This is a common cause for bugs: Event loops should never be blocked.");

        assertThatThrownBy(() -> PortalFailure.ofTransport(misuse))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("@ExecuteOn(TaskExecutors.BLOCKING)");
    }

    @Test
    void a_refused_connection_is_the_portal_being_unavailable() {
        HttpClientException refused = new HttpClientException("Connect Error: Connection refused",
                new ConnectException("Connection refused"));

        assertThat(PortalFailure.ofTransport(refused).reason().rejection()).isEqualTo(Rejection.PORTAL_UNAVAILABLE);
    }
}
