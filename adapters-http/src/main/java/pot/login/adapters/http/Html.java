package pot.login.adapters.http;

/**
 * The few pages this adapter renders, as plain strings: no template engine for four small pages, and every value
 * that reaches a page goes through {@link #escape}. Pages load no script and no inline style, so the
 * Content-Security-Policy can forbid both.
 */
public final class Html {

    private Html() {
    }

    /** A complete page: the title goes into {@code <title>} and {@code <h1>}, the body is trusted HTML. */
    public static String page(String title, String bodyHtml) {
        return page(title, bodyHtml, "");
    }

    public static String page(String title, String bodyHtml, String extraHeadHtml) {
        return """
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%1$s · pot-login</title>
                <link rel="stylesheet" href="/assets/pot-login.css">
                %3$s
                </head>
                <body>
                <main>
                <h1>%1$s</h1>
                %2$s
                </main>
                </body>
                </html>
                """.formatted(escape(title), bodyHtml, extraHeadHtml);
    }

    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
