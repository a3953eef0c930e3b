package pot.login.app.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 over a plain socket, for what {@code java.net.http} will not send: a hostile {@code Host}, a malformed
 * request, a chunked body of a chosen size. Every request says {@code Connection: close}, and the whole answer is read
 * until the server closes. The body is written from a second thread, so a server that answers before it has read
 * everything (a 413) is heard instead of deadlocking on a full socket buffer.
 */
public final class RawHttp {

    private static final Pattern CODE = Pattern.compile("\"code\":\"([a-z_]+)\"|<code>([a-z_]+)</code>");

    private final URI server;

    public RawHttp(URI server) {
        this.server = server;
    }

    /** A request: its head (the request line and headers, each line without its CRLF), and a body or null. */
    record Request(String head, byte[] body, boolean chunked) {

        static Request of(String method, String target, String... headers) {
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1");
            for (String header : headers) {
                head.append("\r\n").append(header);
            }
            return new Request(head.toString(), null, false);
        }

        Request withBody(byte[] bytes) {
            return new Request(head, bytes, false);
        }

        Request withChunkedBody(byte[] bytes) {
            return new Request(head, bytes, true);
        }
    }

    /** An answer: status 0 when none came back; header names lower-cased, in the order received. */
    public record Response(int status, Map<String, List<String>> headers, String body, String raw) {

        public List<String> all(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        Optional<String> first(String name) {
            return all(name).stream().findFirst();
        }

        /** The stable error code of a problem+json body or an HTML error page, or null. */
        String code() {
            Matcher matcher = CODE.matcher(body);
            return matcher.find() ? (matcher.group(1) != null ? matcher.group(1) : matcher.group(2)) : null;
        }
    }

    /** Sends the request with {@code Host} (unless it has one), {@code Connection: close} and its framing added. */
    Response send(Request request) {
        StringBuilder head = new StringBuilder(request.head());
        if (!request.head().toLowerCase(Locale.ROOT).contains("\r\nhost:")) {
            head.append("\r\nHost: ").append(server.getHost()).append(':').append(server.getPort());
        }
        head.append("\r\nConnection: close");
        if (request.body() != null) {
            head.append(request.chunked() ? "\r\nTransfer-Encoding: chunked"
                    : "\r\nContent-Length: " + request.body().length);
        }
        head.append("\r\n\r\n");
        return exchange(head.toString().getBytes(StandardCharsets.ISO_8859_1), request.body(), request.chunked());
    }

    /** Writes exactly these bytes as the request, nothing added. */
    public Response sendBytes(byte[] request) {
        return exchange(request, null, false);
    }

    private Response exchange(byte[] head, byte[] body, boolean chunked) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), 5_000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            Thread writer = new Thread(() -> write(out, head, body, chunked), "raw-http-writer");
            writer.setDaemon(true);
            writer.start();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[16_384];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException | SocketException endedAbruptly) {
                // Keep what arrived before the reset or the timeout.
            }
            return parse(received.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(OutputStream out, byte[] head, byte[] body, boolean chunked) {
        try {
            out.write(head);
            if (body != null) {
                for (int at = 0; at < body.length; at += 8_192) {
                    int length = Math.min(8_192, body.length - at);
                    if (chunked) {
                        out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write(body, at, length);
                    if (chunked) {
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }
                if (chunked) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
            out.flush();
        } catch (IOException closedWhileWriting) {
            // The server answered and closed before reading everything: the answer is what the test looks at.
        }
    }

    static Response parse(String raw) {
        int headEnd = raw.indexOf("\r\n\r\n");
        if (headEnd < 0 || !raw.matches("(?s)HTTP/\\d\\.\\d \\d{3}.*")) {
            return new Response(0, Map.of(), "", raw);
        }
        String[] lines = raw.substring(0, headEnd).split("\r\n");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    name -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
        }
        String body = raw.substring(headEnd + 4);
        if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
            body = dechunk(body);
        }
        return new Response(Integer.parseInt(lines[0].substring(9, 12)), headers, body, raw);
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            if (lineEnd < 0) {
                return body.toString();
            }
            int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            // Sizes count bytes; these bodies are ASCII.
            body.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
            at = lineEnd + 2 + size + 2;
        }
    }
}
