// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dmarc report import}: counts, refusals with their reason, exit codes. */
final class ReportImportTest {
  @TempDir Path dir;

  private String db() {
    return "jdbc:h2:file:" + dir.resolve("reports").toAbsolutePath();
  }

  @Test
  @DisplayName("Reports import once; a second run finds them known; exit 0")
  void import_thenAgain_known() {
    String xml = Cli.resource("received/parsedmarc/aggregate/rfc9990-sample.xml");
    String gz =
        Cli.resource(
            "received/parsedmarc/aggregate/fastmail.com!example.com!1516060800!1516147199!102675056.xml.gz");
    String eml = Cli.resource("received/stalwart/dmarc-feedback/100.eml");
    Cli.Result r = Cli.run("report", "import", "--db", db(), xml, gz, eml);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("3 reports imported (3 rows), 0 already known, 0 refused, from 3 files");
    Cli.Result again = Cli.run("report", "import", "--db", db(), xml, gz, eml);
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out())
        .contains("0 reports imported (0 rows), 3 already known, 0 refused, from 3 files");
  }

  @Test
  @DisplayName("A hostile file is refused with its reason, the others import; exit 1")
  void hostile_refused_exit1() throws Exception {
    Path xxe = dir.resolve("xxe.xml");
    Files.writeString(
        xxe,
        "<?xml version=\"1.0\"?><!DOCTYPE feedback [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + "<feedback>&x;</feedback>");
    String xml = Cli.resource("received/parsedmarc/aggregate/rfc9990-sample.xml");
    Cli.Result r =
        Cli.run("report", "import", "--db", db(), "--progress-every", "0", xxe.toString(), xml);
    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).contains("refused " + xxe + ": dtd_forbidden: ");
    assertThat(r.out())
        .contains("1 report imported (1 row), 0 already known, 1 refused, from 2 files")
        .contains("(1 dtd_forbidden)");
    assertThat(r.err()).contains("progress: ");
  }

  @Test
  @DisplayName("A database that cannot be opened: exit 3")
  void badDatabase_exit3() {
    Cli.Result r =
        Cli.run(
            "report",
            "import",
            "--db",
            "jdbc:h2:file:" + dir.resolve("missing/reports"),
            Cli.resource("received/parsedmarc/aggregate/rfc9990-sample.xml"));
    assertThat(r.exitCode()).isEqualTo(3);
  }

  @Test
  @DisplayName("A long report moves the progress line while it is read (every 10,000 records)")
  void longReport_progressInside() throws Exception {
    Path big = dir.resolve("big.xml");
    StringBuilder b =
        new StringBuilder(
            "<feedback><report_metadata><org_name>Big</org_name><email>r@big.example</email>"
                + "<report_id>big-1</report_id><date_range><begin>1795737600</begin>"
                + "<end>1795823999</end></date_range></report_metadata><policy_published>"
                + "<domain>owner.example</domain><p>none</p></policy_published>");
    for (int i = 0; i < 25_000; i++) {
      b.append("<record><row><source_ip>192.0.2.")
          .append(1 + i % 250)
          .append("</source_ip><count>1</count><policy_evaluated><disposition>none</disposition>")
          .append("<dkim>pass</dkim><spf>pass</spf></policy_evaluated></row><identifiers>")
          .append("<header_from>owner.example</header_from></identifiers><auth_results><spf>")
          .append("<domain>owner.example</domain><result>pass</result></spf></auth_results>")
          .append("</record>");
    }
    Files.writeString(big, b.append("</feedback>"));
    Cli.Result r =
        Cli.run("report", "import", "--db", db(), "--progress-every", "0", big.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("reading " + big + ": 10000 rows").contains(": 20000 rows");
    assertThat(r.out()).contains("1 report imported (25000 rows)");
  }

  @Test
  @DisplayName(
      "--max-uncompressed and --max-elements refuse what the defaults take; 0 is a usage error")
  void limits_options() {
    String xml = Cli.resource("received/parsedmarc/aggregate/rfc9990-sample.xml");
    Cli.Result small = Cli.run("report", "import", "--db", db(), "--max-uncompressed", "100", xml);
    assertThat(small.exitCode()).isEqualTo(1);
    assertThat(small.out()).contains("uncompressed_too_large");
    Cli.Result few = Cli.run("report", "import", "--db", db(), "--max-elements", "5", xml);
    assertThat(few.exitCode()).isEqualTo(1);
    assertThat(few.out()).contains("too_many_elements");
    Cli.Result zero = Cli.run("report", "import", "--db", db(), "--max-mail", "0", xml);
    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.err()).contains("must be positive");
    Cli.Result ok = Cli.run("report", "import", "--db", db(), xml);
    assertThat(ok.exitCode()).as(ok.err()).isZero();
  }
}
