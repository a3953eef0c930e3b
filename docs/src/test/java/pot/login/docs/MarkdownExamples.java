package pot.login.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The fenced blocks of a Markdown file, read from the file as it stands, with the comments on the lines before each
 * ({@code <!-- expect: regex -->}, {@code <!-- not-runnable: reason -->}; blank lines and a bold label line such as
 * {@code **Java**} may stand between them and the fence). Every block is accounted for: one of {@link #LANGUAGES} is
 * run, one of {@link #CHECKED} is checked ({@link CheckedBlocks}), any other is marked not-runnable with a reason;
 * a block that is none of these, or has no info string, is a {@link BadBlock}.
 */
final class MarkdownExamples {

    static final Set<String> LANGUAGES = Set.of("sh", "java", "python", "javascript");
    /** Not run, but checked: they must parse, and name only real settings or files. */
    static final Set<String> CHECKED = Set.of("json", "yaml", "properties");
    /**
     * Other spellings of the same languages: refused rather than skipped, so that no example escapes the runner by its
     * info string.
     */
    static final Set<String> OTHER_SPELLINGS = Set.of("bash", "shell", "zsh", "console", "shell-session", "shellsession",
            "js", "mjs", "cjs", "node", "py", "python3", "jshell", "yml");

    private static final Pattern FENCE = Pattern.compile("^(\\s*)(`{3,}|~{3,})\\s*([^`\\s]*).*$");
    private static final Pattern EXPECT = Pattern.compile("^\\s*<!--\\s*expect:\\s?(.*?)\\s*-->\\s*$");
    private static final Pattern NOT_RUNNABLE = Pattern.compile("^\\s*<!--\\s*not-runnable:\\s*(.*?)\\s*-->\\s*$");
    private static final Pattern LABEL = Pattern.compile("^\\s*\\*\\*[^*]+\\*\\*\\s*$");

    /** What the runner does with a block. */
    enum Kind { RUN, CHECK, MARKED }

    /**
     * A block: where it starts (the fence's line, from 1), its language (the info string) and code, and what the
     * comments say.
     */
    record Example(Path file, int line, String language, String code, Optional<String> notRunnable,
                   List<Pattern> expectations) {

        String where() {
            return file + ":" + line;
        }

        /** A mark wins: a block marked not-runnable is neither run nor checked. */
        Kind kind() {
            if (notRunnable.isPresent()) {
                return Kind.MARKED;
            }
            return LANGUAGES.contains(language) ? Kind.RUN : Kind.CHECK;
        }
    }

    private MarkdownExamples() {
    }

    /**
     * The blocks of a file; a block spelled in another way, without an info string, of another language and not
     * marked, or with a malformed comment is a {@link BadBlock}.
     */
    static List<Example> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return read(file, lines);
    }

    static List<Example> read(Path file, List<String> lines) {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            String indent = open.group(1);
            String fence = open.group(2);
            String info = open.group(3);
            int start = i;
            StringBuilder code = new StringBuilder();
            for (i++; i < lines.size() && !closes(lines.get(i), fence); i++) {
                String line = lines.get(i);
                code.append(line.startsWith(indent) ? line.substring(indent.length()) : line.stripLeading())
                        .append('\n');
            }
            if (OTHER_SPELLINGS.contains(info)) {
                throw new BadBlock(file + ":" + (start + 1) + ": a block marked ```" + info
                        + " is neither run nor marked not-runnable: write ```sh, ```java, ```python or ```javascript");
            }
            if (info.isEmpty()) {
                throw new BadBlock(file + ":" + (start + 1) + ": a block without an info string is neither run,"
                        + " checked nor marked: name its language (```text for sample output, with"
                        + " <!-- not-runnable: why -->)");
            }
            Example example = example(file, lines, start, info, code.toString());
            if (example.notRunnable().isEmpty() && !LANGUAGES.contains(info) && !CHECKED.contains(info)) {
                throw new BadBlock(file + ":" + (start + 1) + ": a block marked ```" + info
                        + " is neither run nor checked: mark it <!-- not-runnable: why --> (a diagram, sample"
                        + " output, …)");
            }
            examples.add(example);
        }
        return examples;
    }

    private static boolean closes(String line, String fence) {
        String stripped = line.strip();
        return stripped.length() >= fence.length() && stripped.chars().allMatch(c -> c == fence.charAt(0));
    }

    private static Example example(Path file, List<String> lines, int fenceLine, String language, String code) {
        Optional<String> notRunnable = Optional.empty();
        List<Pattern> expectations = new ArrayList<>();
        for (int j = fenceLine - 1; j >= 0; j--) {
            String line = lines.get(j);
            if (line.isBlank() || LABEL.matcher(line).matches()) {
                continue;
            }
            Matcher expect = EXPECT.matcher(line);
            Matcher reason = NOT_RUNNABLE.matcher(line);
            if (expect.matches()) {
                try {
                    expectations.addFirst(Pattern.compile(expect.group(1), Pattern.MULTILINE));
                } catch (PatternSyntaxException e) {
                    throw new BadBlock(file + ":" + (j + 1) + ": the expectation is not a Java regex: " + e.getMessage());
                }
            } else if (reason.matches()) {
                if (reason.group(1).isBlank()) {
                    throw new BadBlock(file + ":" + (j + 1) + ": not-runnable without a reason");
                }
                notRunnable = Optional.of(reason.group(1));
            } else {
                break;
            }
        }
        return new Example(file, fenceLine + 1, language, code, notRunnable, List.copyOf(expectations));
    }

    /** A block the runner can neither run nor skip with a reason. */
    static final class BadBlock extends RuntimeException {
        BadBlock(String message) {
            super(message);
        }
    }
}
