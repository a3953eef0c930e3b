package pot.login.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pot.login.domain.Rejection;

/**
 * docs/errors.md against the code that answers: every code the app can send ({@link HttpProblemCode#every()}) has a
 * row and no row names another, and each row's status, title and "the page says" are what the problem body shows.
 * The answers are rendered by the real classes ({@link RejectionResponses}, {@link ProblemErrorResponseProcessor},
 * {@link SessionController}), not re-typed here. In this package because those classes are the HTTP adapter's own.
 */
class ErrorCatalogueTest {

    private static final Path ERRORS = Path.of("..", "docs", "errors.md");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");
    /** The remedies as the doc names them, in italics, followed by the sentence it quotes. */
    private static final Pattern REMEDY_QUOTED = Pattern.compile("\\*(start again|try again later|tell the operator)\\*"
            + " \\([^\"]*\"([^\"]+)\"\\)");

    /** One table row: the code, the status, the title and what the page says, with the line it is on. */
    record Row(int line, String code, int status, String title, String pageSays) {
    }

    /** One answer the app can give: what a client sees. */
    record Answer(String code, int status, String title, String detail) {
    }

    static String doc;
    static List<Row> rows;
    /** Every answer of the code, per code; a code the framework raises for several statuses has several. */
    static Map<String, List<Answer>> answers;

    @BeforeAll
    static void readTheDocAndRenderEveryAnswer() throws IOException {
        doc = Files.readString(ERRORS);
        rows = rows(doc);
        answers = new LinkedHashMap<>();
        for (Rejection reason : Rejection.values()) {
            add(RejectionResponses.respond(json("/login/complete"), reason));
        }
        ProblemErrorResponseProcessor processor =
                new ProblemErrorResponseProcessor(new SecurityHeaders(new StrictTransportSecurity("")));
        for (HttpStatus status : HttpStatus.values()) {
            if (status.getCode() >= 400) {
                HttpRequest<?> request = json("/anything");
                add(processor.processResponse(ErrorContext.builder(request).build(), HttpResponse.status(status)));
            }
        }
        add(SessionController.notSignedIn(json("/me")));
        // The cross-site refusal answers before the controller touches a session, so it needs none of them.
        SessionController controller = new SessionController(null, null, null,
                new SameOrigin(URI.create("http://localhost:8080/login/complete")));
        add(controller.logout(HttpRequest.POST("/logout", "").header("Origin", "https://evil.example")
                .accept(MediaType.APPLICATION_JSON_TYPE), null));
    }

    private static HttpRequest<?> json(String path) {
        return HttpRequest.GET(path).accept(MediaType.APPLICATION_JSON_TYPE);
    }

    private static void add(MutableHttpResponse<?> response) {
        Problem problem = (Problem) response.getBody().orElseThrow();
        assertThat(problem.status()).isEqualTo(response.code());
        answers.computeIfAbsent(problem.code(), code -> new ArrayList<>())
                .add(new Answer(problem.code(), problem.status(), problem.title(), problem.detail()));
    }

    @Test
    void every_code_the_app_sends_has_a_row_and_no_row_names_another() {
        TreeSet<String> documented = rows.stream().map(Row::code).collect(Collectors.toCollection(TreeSet::new));
        TreeSet<String> missing = new TreeSet<>(HttpProblemCode.every());
        missing.removeAll(documented);
        TreeSet<String> extra = new TreeSet<>(documented);
        extra.removeAll(HttpProblemCode.every());
        assertThat(missing).as("codes the app sends that docs/errors.md has no row for").isEmpty();
        assertThat(extra).as("codes in docs/errors.md that the app never sends").isEmpty();
    }

    @Test
    void every_code_the_app_sends_is_an_answer_that_this_test_rendered() {
        // Else a new code would pass the checks below by having no answer to compare with.
        assertThat(answers.keySet()).containsExactlyInAnyOrderElementsOf(HttpProblemCode.every());
    }

    @Test
    void each_row_gives_the_status_that_its_code_answers_with() {
        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            List<Answer> given = answers.getOrDefault(row.code(), List.of());
            if (given.stream().noneMatch(answer -> answer.status() == row.status())) {
                wrong.add("line " + row.line() + ": `" + row.code() + "` is documented as " + row.status()
                        + " but answers " + given.stream().map(Answer::status).distinct().toList());
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void each_row_gives_the_title_that_the_page_and_the_problem_show() {
        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            Answer answer = answerFor(row);
            if (answer != null && !answer.title().equals(row.title())) {
                wrong.add("line " + row.line() + ": `" + row.code() + "` is documented with the title \""
                        + row.title() + "\" but shows \"" + answer.title() + "\"");
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void each_row_says_what_the_page_tells_the_user_to_do() {
        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            Answer answer = answerFor(row);
            if (answer == null) {
                continue;
            }
            String documented = pageSays(row);
            String shown = isRejection(row.code())
                    ? remedyName(RejectionResponses.remedy(rejection(row.code())))
                    : answer.detail();
            if (!shown.equals(documented)) {
                wrong.add("line " + row.line() + ": `" + row.code() + "` is documented as saying \"" + documented
                        + "\" but says \"" + shown + "\"");
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void the_sentence_quoted_for_each_remedy_is_the_one_a_problem_ends_with() {
        Map<String, String> quoted = new LinkedHashMap<>();
        Matcher matcher = REMEDY_QUOTED.matcher(doc.replaceAll("\\s+", " "));
        while (matcher.find()) {
            quoted.put(matcher.group(1), matcher.group(2));
        }
        Map<String, String> shown = new LinkedHashMap<>();
        for (RejectionResponses.Remedy remedy : RejectionResponses.Remedy.values()) {
            shown.put(remedyName(remedy), remedy.sentence);
        }
        assertThat(quoted).isEqualTo(shown);
        for (Rejection reason : Rejection.values()) {
            assertThat(RejectionResponses.detail(reason)).endsWith(RejectionResponses.remedy(reason).sentence);
        }
    }

    @Test
    void the_example_problem_is_the_body_the_app_sends_for_its_code() {
        Matcher block = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(block.find()).as("a json example in docs/errors.md").isTrue();
        String example = block.group(1).replaceAll("\\s+", " ");
        Map<String, String> members = new LinkedHashMap<>();
        Matcher member = Pattern.compile("\"(\\w+)\": (\"([^\"]*)\"|(\\d+))").matcher(example);
        while (member.find()) {
            members.put(member.group(1), member.group(3) != null ? member.group(3) : member.group(4));
        }
        Rejection reason = rejection(members.get("code"));
        Problem sent = (Problem) RejectionResponses.respond(json("/login/complete"), reason).getBody().orElseThrow();
        assertThat(members).isEqualTo(Map.of("type", sent.type(), "title", sent.title(),
                "status", String.valueOf(sent.status()), "detail", sent.detail(), "code", sent.code()));
    }

    // ---- reading the doc ----

    /** Rows of every table whose first column is `code`: | code | status | title | the page says | when |. */
    static List<Row> rows(String markdown) {
        List<Row> found = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        boolean inTable = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            List<String> cells = Arrays.stream(line.substring(1, line.length() - 1).split("\\|"))
                    .map(String::strip).toList();
            if (cells.getFirst().equals("code")) {
                assertThat(cells).as("the columns of the table on line " + (i + 1))
                        .startsWith("code", "status", "title", "the page says");
                inTable = true;
                continue;
            }
            if (!inTable || cells.getFirst().startsWith("---")) {
                continue;
            }
            Matcher code = BACKTICKED.matcher(cells.getFirst());
            assertThat(code.lookingAt()).as("line " + (i + 1) + " starts with a `code`: " + line).isTrue();
            found.add(new Row(i + 1, code.group(1), Integer.parseInt(cells.get(1)), cells.get(2), cells.get(3)));
        }
        assertThat(found).as("rows in docs/errors.md").isNotEmpty();
        return found;
    }

    /** A rejection's remedy as the doc names it (bold or not, with or without a remark in brackets); else a quote. */
    private static String pageSays(Row row) {
        String cell = row.pageSays().replace("**", "");
        if (isRejection(row.code())) {
            return cell.replaceAll("\\s*\\(.*$", "");
        }
        Matcher quote = QUOTED.matcher(cell);
        return quote.find() ? quote.group(1) : cell;
    }

    private static Answer answerFor(Row row) {
        return answers.getOrDefault(row.code(), List.of()).stream()
                .filter(answer -> answer.status() == row.status()).findFirst().orElse(null);
    }

    private static boolean isRejection(String code) {
        return Arrays.stream(Rejection.values()).anyMatch(reason -> reason.code().equals(code));
    }

    private static Rejection rejection(String code) {
        return Arrays.stream(Rejection.values()).filter(reason -> reason.code().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError("not a rejection code: " + code));
    }

    private static String remedyName(RejectionResponses.Remedy remedy) {
        return remedy.name().replace('_', ' ').toLowerCase(Locale.ROOT);
    }
}
