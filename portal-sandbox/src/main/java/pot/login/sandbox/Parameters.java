package pot.login.sandbox;

import io.micronaut.http.HttpParameters;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OAuth request parameters by name, from a query string or a form body. A parameter sent without a value counts as
 * absent (RFC 6749 §3.1); one sent twice is the caller's to refuse, so the values are kept.
 */
record Parameters(Map<String, List<String>> values) {

    Parameters {
        values = Map.copyOf(values);
    }

    static Parameters of(HttpParameters query) {
        Map<String, List<String>> values = new HashMap<>();
        for (String name : query.names()) {
            query.getAll(name).forEach(value -> add(values, name, value));
        }
        return new Parameters(values);
    }

    /** An {@code application/x-www-form-urlencoded} body; empty if it is malformed (a broken %-escape). */
    static Optional<Parameters> ofForm(String body) {
        Map<String, List<String>> values = new HashMap<>();
        if (body != null) {
            for (String pair : body.split("&")) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                try {
                    add(values, URLDecoder.decode(name, StandardCharsets.UTF_8),
                            URLDecoder.decode(value, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new Parameters(values));
    }

    /** The value, or {@code null} when absent. */
    String get(String name) {
        List<String> all = values.get(name);
        return all == null ? null : all.get(0);
    }

    /** Whether any of these was sent more than once, which RFC 6749 §3.1 forbids. */
    boolean anyRepeated(List<String> names) {
        return names.stream().anyMatch(name -> values.getOrDefault(name, List.of()).size() > 1);
    }

    private static void add(Map<String, List<String>> values, String name, String value) {
        if (!name.isEmpty() && !value.isEmpty()) {
            values.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
    }
}
