// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The summary page in a real browser: Debian's {@code chromium}, headless, reading the page from a
 * file, with every host name mapped to "not found" so nothing can reach the network. Skipped when
 * chromium is not installed, unless the environment variable CI is "true".
 *
 * <p>With {@code -Ddmarcj.summaryPng=FILE} the wide screenshot of the sample summary is also copied
 * to FILE (this is how {@code docs/summary.png} is made).
 */
final class ChromiumRenderTest {
  private static Path chromium;
  @TempDir Path tmp;

  @BeforeAll
  static void findChromium() {
    for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (Files.isExecutable(Path.of(c))) {
        chromium = Path.of(c);
        break;
      }
    }
    if (chromium == null) {
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException("chromium not found but CI=true");
      }
      assumeTrue(false, "chromium not installed");
    }
  }

  /** What one chromium run left: exit code, standard output, standard error. */
  private record Run(int exit, String out, String err) {}

  private Run chromium(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(chromium.toString());
    cmd.addAll(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--hide-scrollbars",
            "--user-data-dir=" + tmp.resolve("profile"),
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr",
            "--v=0"));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 180 s");
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Console messages and failed loads: a self-contained page without script has none. */
  private static void assertLoadedCleanly(Run run) {
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err())
        .doesNotContain("CONSOLE")
        .doesNotContain("Uncaught")
        .doesNotContain("Failed to load resource")
        .doesNotContain("net::ERR_");
  }

  private Path page(String name, DomainSummary s) throws IOException {
    Path html = tmp.resolve(name);
    Files.writeString(html, SummaryHtml.render(s), StandardCharsets.UTF_8);
    return html;
  }

  private static DomainSummary sample() throws Exception {
    DataSource ds = ReportSummarizerTest.memory();
    ReportXml.importAll(ds, SampleReports.generate(LocalDate.of(2026, 9, 1), 60, 20261205L));
    return ReportSummarizer.builder(ds).build().summarize("example.com", null, null);
  }

  private static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** Distinct colours over a grid of pixels: a blank or one-colour image has one or two. */
  private static int colours(BufferedImage img) {
    Set<Integer> seen = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 3) {
      for (int x = 0; x < img.getWidth(); x += 3) {
        seen.add(img.getRGB(x, y));
      }
    }
    return seen.size();
  }

  @Test
  @DisplayName("the sample summary loads without errors; its three charts are in the DOM")
  void rendersCharts() throws Exception {
    DomainSummary s = sample();
    Path html = page("summary.html", s);
    Run dom = chromium("--dump-dom", html.toUri().toString());
    assertLoadedCleanly(dom);
    assertThat(count(dom.out(), "<svg ")).isEqualTo(3);
    // one pass bar and one fail bar per day at most, one per class, one per reporter at least
    assertThat(count(dom.out(), "<rect ")).isGreaterThan(s.days().size() + s.reporters().size());
    assertThat(dom.out()).contains("What if the policy were stricter").contains("203.0.113.20");
    assertThat(dom.out()).doesNotContain("<script").doesNotContain("<img");
  }

  @Test
  @DisplayName("screenshots, wide and phone-sized, are real pictures, not blank")
  void screenshots() throws Exception {
    Path html = page("summary.html", sample());
    for (String size : List.of("1200,2600", "390,2400")) {
      Path png = tmp.resolve("summary-" + size.replace(',', 'x') + ".png");
      Run run = chromium("--screenshot=" + png, "--window-size=" + size, html.toUri().toString());
      assertLoadedCleanly(run);
      assertThat(Files.size(png)).isGreaterThan(20_000);
      BufferedImage img = ImageIO.read(png.toFile());
      assertThat(img).isNotNull();
      assertThat(img.getWidth()).isEqualTo(Integer.parseInt(size.substring(0, size.indexOf(','))));
      assertThat(colours(img)).isGreaterThan(30);
      String copy = System.getProperty("dmarcj.summaryPng");
      if (copy != null && size.startsWith("1200")) {
        Files.copy(png, Path.of(copy), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  @Test
  @DisplayName("hostile strings from a report stay text in the rendered DOM")
  void hostileStaysText() throws Exception {
    DataSource ds = ReportSummarizerTest.memory();
    ReportXml.importAll(ds, SummaryHtmlTest.hostile());
    Path html =
        page(
            "hostile.html",
            ReportSummarizer.builder(ds).build().summarize("example.com", null, null));
    Run dom = chromium("--dump-dom", html.toUri().toString());
    assertLoadedCleanly(dom);
    assertThat(SummaryHtmlTest.ELEMENTS).containsAll(SummaryHtmlTest.elements(dom.out()));
    assertThat(dom.out())
        .doesNotContain("<script")
        .doesNotContain("<img")
        .contains("&lt;script&gt;");
  }
}
