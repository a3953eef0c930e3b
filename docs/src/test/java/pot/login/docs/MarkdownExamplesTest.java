package pot.login.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import pot.login.docs.MarkdownExamples.BadBlock;
import pot.login.docs.MarkdownExamples.Example;
import pot.login.docs.MarkdownExamples.Kind;

class MarkdownExamplesTest {

    private static final Path FILE = Path.of("docs/page.md");

    @Test
    void a_block_is_read_with_the_line_of_its_fence_its_label_its_expectations_and_its_reason_not_to_run() {
        List<Example> examples = MarkdownExamples.read(FILE, List.of(
                "# Page",
                "<!-- expect: ^sub=demo$ -->",
                "<!-- expect: name -->",
                "**Python**",
                "",
                "```python",
                "print('sub=demo')",
                "```",
                "",
                "<!-- not-runnable: starts a server -->",
                "```sh",
                "./run-demo",
                "```",
                "```yaml",
                "a: b",
                "```"));

        assertThat(examples).map(Example::language).containsExactly("python", "sh", "yaml");
        Example python = examples.getFirst();
        assertThat(python.where()).isEqualTo("docs/page.md:6");
        assertThat(python.language()).isEqualTo("python");
        assertThat(python.code()).isEqualTo("print('sub=demo')\n");
        assertThat(python.notRunnable()).isEmpty();
        assertThat(python.expectations()).map(Pattern::pattern).containsExactly("^sub=demo$", "name");
        assertThat(examples.get(1).notRunnable()).contains("starts a server");
        assertThat(examples.get(1).expectations()).isEmpty();
        assertThat(examples).map(Example::kind).containsExactly(Kind.RUN, Kind.MARKED, Kind.CHECK);
    }

    @Test
    void only_the_comments_right_above_a_block_belong_to_it() {
        List<Example> examples = MarkdownExamples.read(FILE, List.of(
                "<!-- not-runnable: meant for another block -->",
                "Some prose in between.",
                "```sh",
                "true",
                "```"));

        assertThat(examples.getFirst().notRunnable()).isEmpty();
    }

    @Test
    void an_indented_block_in_a_list_is_read_without_its_indentation() {
        List<Example> examples = MarkdownExamples.read(FILE, List.of(
                "- an item:",
                "",
                "  <!-- not-runnable: a fragment -->",
                "  ```java",
                "  int x = 1;",
                "  ```"));

        assertThat(examples.getFirst().code()).isEqualTo("int x = 1;\n");
        assertThat(examples.getFirst().notRunnable()).contains("a fragment");
    }

    @Test
    void a_shell_block_spelled_bash_is_refused_rather_than_skipped() {
        assertThatThrownBy(() -> MarkdownExamples.read(FILE, List.of("text", "```bash", "rm -rf /tmp/x", "```")))
                .isInstanceOf(BadBlock.class)
                .hasMessageContaining("docs/page.md:2")
                .hasMessageContaining("```bash");
    }

    @Test
    void a_not_runnable_mark_without_a_reason_is_refused() {
        assertThatThrownBy(() -> MarkdownExamples.read(FILE, List.of("<!-- not-runnable: -->", "```sh", "x", "```")))
                .isInstanceOf(BadBlock.class)
                .hasMessageContaining("docs/page.md:1: not-runnable without a reason");
    }

    @Test
    void a_mermaid_block_without_a_reason_not_to_run_is_refused_naming_its_file_and_line() {
        assertThatThrownBy(() -> MarkdownExamples.read(FILE, List.of("# Flow", "", "```mermaid", "graph LR", "```")))
                .isInstanceOf(BadBlock.class)
                .hasMessageStartingWith("docs/page.md:3: a block marked ```mermaid is neither run nor checked");
    }

    @Test
    void a_mermaid_block_marked_with_a_reason_is_accounted_for() {
        List<Example> examples = MarkdownExamples.read(FILE, List.of("<!-- not-runnable: a diagram -->", "```mermaid",
                "graph LR", "```"));

        assertThat(examples).singleElement().satisfies(block -> {
            assertThat(block.kind()).isEqualTo(Kind.MARKED);
            assertThat(block.notRunnable()).contains("a diagram");
        });
    }

    @Test
    void a_block_without_an_info_string_is_refused_even_when_marked() {
        assertThatThrownBy(() -> MarkdownExamples.read(FILE, List.of("<!-- not-runnable: sample output -->", "```",
                "2026-12-01 INFO login completed", "```")))
                .isInstanceOf(BadBlock.class)
                .hasMessageStartingWith("docs/page.md:2: a block without an info string");
    }
}
