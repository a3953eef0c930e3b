package pot.login.bench.spring;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Spring peer: Spring Security's default authorization-code login ({@code http.oauth2Login()}) against the bench's
 * sandbox, configured only by properties ({@code application.properties}; the driver passes the port and the sandbox's
 * URIs). Its own code: a landing page and {@code /me}, which names the user from the session (the name was looked up
 * at the portal's {@code /api/me} at sign-in, by Spring's {@code DefaultOAuth2UserService}).
 */
@SpringBootApplication
@RestController
public class SpringPeerApp {

    public static void main(String[] args) {
        SpringApplication.run(SpringPeerApp.class, args);
    }

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/", "/error").permitAll()
                        .anyRequest().authenticated())
                .oauth2Login(Customizer.withDefaults())
                .build();
    }

    @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
    String landing() {
        return "<!doctype html><title>spring peer</title><p>Signed in. <a href=\"/me\">Who am I</a></p>";
    }

    @GetMapping(value = "/me", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> me(@AuthenticationPrincipal OAuth2User user) {
        String name = (user.getAttributes().getOrDefault("firstName", "") + " "
                + user.getAttributes().getOrDefault("lastName", "")).trim();
        return ResponseEntity.ok().cacheControl(CacheControl.noStore())
                .body(Map.of("id", user.getName(), "name", name));
    }
}
