package pot.login.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micronaut.inject.BeanDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo's balancer in front of two plain JDK HTTP servers that echo what reached them. */
class RoundRobinBalancerTest {

    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    static final List<HttpServer> instances = new ArrayList<>();
    static RoundRobinBalancer balancer;

    @BeforeAll
    static void start() {
        List<String> specs = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            HttpServer server = echo(name);
            instances.add(server);
            specs.add(name + "=http://localhost:" + server.getAddress().getPort());
        }
        balancer = RoundRobinBalancer.start("localhost", 0, specs);
    }

    @AfterAll
    static void stop() {
        if (balancer != null) {
            balancer.close();
        }
        instances.forEach(server -> server.stop(0));
    }

    @Test
    void consecutive_requests_alternate_between_the_instances_and_each_answer_names_its_instance() {
        List<String> answered = new ArrayList<>();
        List<String> echoed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(balancer.uri().resolve("/me")).GET());
            answered.add(response.headers().firstValue("pot-login-instance").orElse("none"));
            echoed.add(response.body().lines().findFirst().orElseThrow());
        }

        assertThat(answered).containsExactly("a", "b", "a", "b");
        assertThat(echoed).containsExactly("instance a", "instance b", "instance a", "instance b");
    }

    @Test
    void a_post_reaches_an_instance_with_its_body_cookies_and_origin_and_the_instances_answer_comes_back_unchanged() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(balancer.uri().resolve("/logout?x=1"))
                .header("Origin", "http://localhost:8080")
                .header("Cookie", "__Host-pot-session=the-session")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=1&b=2")));

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("/signed-out");
        assertThat(response.headers().allValues("Set-Cookie")).containsExactly("echo=1; Path=/");
        assertThat(response.body()).contains("POST /logout?x=1", "origin: http://localhost:8080",
                "cookie: __Host-pot-session=the-session", "body: a=1&b=2");
    }

    @Test
    void the_balancers_context_holds_no_bean_of_pot_login_but_its_own_and_no_security_filter() {
        List<String> beans = balancer.context().getAllBeanDefinitions().stream()
                .map(BeanDefinition::getBeanType).map(Class::getName).toList();

        assertThat(beans).contains(ProxyToNextInstance.class.getName());
        assertThat(beans).filteredOn(name -> name.startsWith("pot.login."))
                .allMatch(name -> name.startsWith("pot.login.cluster."));
        assertThat(beans).noneMatch(name -> name.startsWith("io.micronaut.security."));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An instance that answers with its name and what it received; a POST gets a redirect and a cookie. */
    private static HttpServer echo(String name) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            server.createContext("/", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String echo = "instance " + name + "\n" + exchange.getRequestMethod() + " "
                        + exchange.getRequestURI() + "\norigin: " + exchange.getRequestHeaders().getFirst("Origin")
                        + "\ncookie: " + exchange.getRequestHeaders().getFirst("Cookie") + "\nbody: " + body;
                byte[] bytes = echo.getBytes(StandardCharsets.UTF_8);
                if ("POST".equals(exchange.getRequestMethod())) {
                    exchange.getResponseHeaders().add("Location", "/signed-out");
                    exchange.getResponseHeaders().add("Set-Cookie", "echo=1; Path=/");
                }
                exchange.sendResponseHeaders("POST".equals(exchange.getRequestMethod()) ? 303 : 200, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
