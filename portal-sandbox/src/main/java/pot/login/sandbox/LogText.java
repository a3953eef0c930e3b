package pot.login.sandbox;

/** Request values made safe to log: no line breaks or other forged log lines, bounded length. */
final class LogText {

    private static final int MAX_LENGTH = 64;

    private LogText() {
    }

    static String of(String value) {
        if (value == null) {
            return "-";
        }
        String shown = value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) + "…" : value;
        return shown.replaceAll("[^\\p{Alnum}._:/@+-]", "?");
    }
}
