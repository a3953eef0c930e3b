package pot.login.cluster;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.client.ProxyHttpClient;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;

/**
 * Sends every request to the next instance in turn, with no stickiness: the app keeps nothing per instance that a
 * login needs (the state is signed, the stores are shared), and alternating is what shows it. The {@code Host} header
 * becomes the instance's, as at most proxies; the browser's {@code Origin} and cookies pass unchanged, so sign-out's
 * origin check holds against the redirect URI's origin, which is the balancer's.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
final class ProxyToNextInstance implements HttpServerFilter {

    /** Names the instance that answered, for a reader with {@code curl -i} or the browser's developer tools. */
    static final String INSTANCE_HEADER = "pot-login-instance";

    private final ProxyHttpClient client;
    private final List<Instance> instances;
    private final AtomicLong turn = new AtomicLong();

    ProxyToNextInstance(ProxyHttpClient client, @Value("${" + RoundRobinBalancer.INSTANCES + "}") List<String> instances) {
        this.client = client;
        this.instances = instances.stream().map(Instance::parse).toList();
        if (this.instances.isEmpty()) {
            throw new IllegalArgumentException("the balancer has no instance to send requests to");
        }
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        Instance instance = instances.get((int) Math.floorMod(turn.getAndIncrement(), (long) instances.size()));
        HttpRequest<?> proxied = request.mutate().uri(uri -> uri
                .scheme(instance.uri().getScheme())
                .host(instance.uri().getHost())
                .port(instance.uri().getPort()));
        return Publishers.map(client.proxy(proxied),
                response -> response.header(INSTANCE_HEADER, instance.name()));
    }
}
