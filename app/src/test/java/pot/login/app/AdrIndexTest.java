package pot.login.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/adr/README.md lists every ADR in docs/adr with its title and its status, as the ADR itself states them: a
 * decision superseded in its own file but "Accepted" in the index misleads whoever reads only the index.
 */
class AdrIndexTest {

    private static final Path ADRS = Path.of("..", "docs", "adr");
    private static final Path INDEX = ADRS.resolve("README.md");
    private static final Pattern ADR_FILE = Pattern.compile("\\d{4}-[a-z0-9-]+\\.md");
    private static final Pattern HEADING = Pattern.compile("# (ADR-\\d{4}): (.+)");
    private static final Pattern ROW = Pattern.compile("\\| \\[(ADR-\\d{4})\\]\\(([^)]+)\\) \\| (.+?) \\| (.+) \\|");

    /** What a row says, or what the ADR says of itself. */
    record Entry(String number, String title, String status) {
    }

    @Test
    void the_index_lists_every_adr_file_once_and_no_other() throws IOException {
        List<String> listed = index().keySet().stream().toList();
        assertThat(listed).as("the ADRs that docs/adr/README.md lists, in order")
                .containsExactlyElementsOf(adrFiles());
    }

    @Test
    void each_row_gives_the_title_and_the_status_that_its_adr_states() throws IOException {
        Map<String, Entry> index = index();
        List<String> wrong = new ArrayList<>();
        for (String file : adrFiles()) {
            Entry stated = stated(file);
            Entry row = index.get(file);
            if (row != null && !row.equals(stated)) {
                wrong.add(file + ": the index says " + row + ", the ADR says " + stated);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void the_documentation_index_links_the_adr_index() throws IOException {
        assertThat(Files.readString(ADRS.resolveSibling("README.md"))).contains("](adr/README.md)");
    }

    private static List<String> adrFiles() throws IOException {
        try (Stream<Path> files = Files.list(ADRS)) {
            List<String> names = files.map(path -> path.getFileName().toString())
                    .filter(name -> ADR_FILE.matcher(name).matches()).sorted().toList();
            assertThat(names).as("ADR files in " + ADRS).isNotEmpty();
            return names;
        }
    }

    /** Per file the row names, in the index's order; a file named twice fails the first test. */
    private static Map<String, Entry> index() throws IOException {
        Map<String, Entry> rows = new LinkedHashMap<>();
        List<String> files = new ArrayList<>();
        for (String line : Files.readAllLines(INDEX)) {
            Matcher row = ROW.matcher(line.strip());
            if (row.matches()) {
                files.add(row.group(2));
                rows.put(row.group(2), new Entry(row.group(1), row.group(3), row.group(4)));
            }
        }
        assertThat(files).as("ADR files named by docs/adr/README.md").doesNotHaveDuplicates();
        return rows;
    }

    /** The number and title of the heading, and the first paragraph under {@code ## Status}, joined into one line. */
    private static Entry stated(String file) throws IOException {
        List<String> lines = Files.readAllLines(ADRS.resolve(file));
        Matcher heading = HEADING.matcher(lines.getFirst());
        assertThat(heading.matches()).as(file + " starts with '# ADR-NNNN: title'").isTrue();
        assertThat(heading.group(1)).as(file + "'s number").isEqualTo("ADR-" + file.substring(0, 4));
        int status = lines.indexOf("## Status");
        assertThat(status).as(file + " has a '## Status' section").isPositive();
        List<String> paragraph = lines.subList(status + 1, lines.size()).stream()
                .takeWhile(line -> !line.isBlank()).map(String::strip).toList();
        assertThat(paragraph).as(file + "'s status").isNotEmpty();
        return new Entry(heading.group(1), heading.group(2), String.join(" ", paragraph));
    }
}
