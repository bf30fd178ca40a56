// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dmarc report import} of a report larger than the heap: it streams. */
final class LargeReportImportTest {
  @TempDir Path dir;

  @Test
  @DisplayName("import: a 100 MB aggregate report imports with -Xmx64m")
  void hundredMegabytes_xmx64m() throws Exception {
    Path xml = dir.resolve("large.xml");
    long records = 0;
    try (BufferedWriter w = Files.newBufferedWriter(xml, StandardCharsets.UTF_8)) {
      w.write(
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feedback"
              + " xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\"><version>1.0</version>"
              + "<report_metadata><org_name>Big</org_name><email>r@big.example</email>"
              + "<report_id>big-1</report_id><date_range><begin>1700000000</begin>"
              + "<end>1700086399</end></date_range></report_metadata><policy_published>"
              + "<domain>example.com</domain><p>none</p></policy_published>\n");
      while (records * 460 < 100_000_000L) {
        w.write(
            "<record><row><source_ip>198.51.100."
                + (records % 250)
                + "</source_ip><count>"
                + (records % 7 + 1)
                + "</count><policy_evaluated><disposition>none</disposition><dkim>pass</dkim>"
                + "<spf>fail</spf></policy_evaluated></row><identifiers><header_from>example.com"
                + "</header_from><envelope_from>bounce.example.com</envelope_from></identifiers>"
                + "<auth_results><dkim><domain>example.com</domain><selector>s"
                + records
                + "</selector><result>pass</result></dkim><spf><domain>bounce.example.com"
                + "</domain><scope>mfrom</scope><result>fail</result></spf></auth_results>"
                + "</record>\n");
        records++;
      }
      w.write("</feedback>\n");
    }
    assertThat(Files.size(xml)).isGreaterThan(100_000_000L);
    Process p =
        JavaProcess.dmarc(
                List.of("-Xmx64m", "-XX:+UseSerialGC"),
                "report",
                "import",
                "--db",
                "jdbc:h2:file:" + dir.resolve("reports").toAbsolutePath(),
                xml.toString())
            .redirectErrorStream(true)
            .start();
    var out = new java.io.ByteArrayOutputStream();
    Thread reader =
        new Thread(
            () -> {
              try {
                p.getInputStream().transferTo(out);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    reader.start();
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("finished").isTrue();
    reader.join();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    assertThat(text).contains("1 report imported (" + records + " rows)");
  }
}
