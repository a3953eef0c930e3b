package pot.login.cluster;

import java.net.URI;

/** One app instance behind the balancer: the name it is shown under and where it listens. */
record Instance(String name, URI uri) {

    Instance {
        if (name == null || !name.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("the instance name is not lower-case letters, digits and '-': " + name);
        }
        if (uri == null || !"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || "/".equals(uri.getRawPath()))) {
            throw new IllegalArgumentException("the instance address is not http://host:port: " + uri);
        }
    }

    /** {@code a=http://localhost:8091}. */
    static Instance parse(String spec) {
        int equals = spec.indexOf('=');
        if (equals < 0) {
            throw new IllegalArgumentException("the instance is not name=http://host:port: " + spec);
        }
        return new Instance(spec.substring(0, equals), URI.create(spec.substring(equals + 1)));
    }
}
