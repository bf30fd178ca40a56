// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistakes an operator can make get one clear line on standard error and a documented exit code,
 * never a stack trace; messages arrive through pipes as well as through files.
 */
final class OperatorErrorTest {
  private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
  private static final String ZONE = EXAMPLES.resolve("zones/example.com.zone").toString();
  private static final String LEGIT = EXAMPLES.resolve("messages/legit.eml").toString();
  private static final String NOW = "1795773660";
  private static final String KEY = Cli.resource("keys/rsa2048.pem");
  private static final String DKIM_ZONE = Cli.resource("dkim/example.com.zone");
  private static final String SIGNED = Cli.resource("dkim/signed.eml");
  private static final String UNSIGNED = Cli.resource("dkim/message.eml");

  /** Seconds since 1970 in the year 300,000,000. */
  private static final String YEAR_300M = "9467020800000000";

  @TempDir Path dir;

  /** Exit code, nothing on standard output, one line on standard error holding {@code text}. */
  private static void oneLineError(Cli.Result r, int code, String text) {
    assertThat(r.exitCode()).as(r.err()).isEqualTo(code);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .endsWith("\n")
        .contains(text)
        .doesNotContain("\tat ", "Exception in", "Usage:");
    assertThat(r.err().lines()).hasSize(1);
  }

  private static String[] verify(String... more) {
    List<String> a =
        new ArrayList<>(List.of("verify", "--zone", ZONE, "--client-ip", "192.0.2.25"));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  @DisplayName("--now out of range (year 300,000,000, Long.MIN_VALUE, negative) is a usage error")
  void now_outOfRange_usageError() {
    oneLineError(
        Cli.run(verify("--now", YEAR_300M, LEGIT)),
        2,
        "dmarc verify: --now must be seconds since 1970 from 0 to 253402300799");
    oneLineError(Cli.run(verify("--now=-9223372036854775808", LEGIT)), 2, "--now must be");
    oneLineError(
        Cli.run("dkim", "--zone", DKIM_ZONE, "--now", YEAR_300M, SIGNED),
        2,
        "dmarc dkim: --now must be");
    oneLineError(
        Cli.run(
            "dkim-sign",
            "--key",
            KEY,
            "--domain",
            "example.com",
            "--selector",
            "sel",
            "--now",
            "-1",
            UNSIGNED),
        2,
        "dmarc dkim-sign: --now must be");
    oneLineError(
        Cli.run(
            "dkim-sign",
            "--key",
            KEY,
            "--domain",
            "example.com",
            "--selector",
            "sel",
            "--now",
            NOW,
            "--expire",
            "9223372036854775807",
            UNSIGNED),
        2,
        "--expire must be 1 to");
    oneLineError(
        Cli.run(
            "report",
            "aggregate",
            "--db",
            "jdbc:h2:mem:x",
            "--domain",
            "example.com",
            "--begin",
            "0",
            "--end",
            YEAR_300M,
            "--org-name",
            "o",
            "--email",
            "e@x.example"),
        2,
        "dmarc report aggregate: --end must be");
  }

  @Test
  @DisplayName("--now at the edges of the range is accepted")
  void now_edges_accepted() {
    assertThat(Cli.run(verify("--now", "0", LEGIT)).exitCode()).isZero();
    assertThat(Cli.run(verify("--now", "253402300799", LEGIT)).exitCode()).isZero();
  }

  @Test
  @DisplayName("a batch request with now out of range gets an error line; the batch goes on")
  void batchNow_outOfRange_errorLine() throws Exception {
    Path req = dir.resolve("r.jsonl");
    String base =
        "{\"message\":\"" + LEGIT + "\",\"zone\":\"" + ZONE + "\",\"clientIp\":\"192.0.2.25\"";
    Files.write(
        req,
        List.of(
            base + ",\"id\":\"far\",\"now\":" + YEAR_300M + "}",
            base + ",\"id\":\"ok\",\"now\":" + NOW + "}"),
        StandardCharsets.UTF_8);
    Cli.Result r = Cli.run("verify", "--batch", req.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(lines.get(0)).get("error").asText())
        .contains("\"now\" must be seconds since 1970");
    assertThat(json.readTree(lines.get(1)).at("/dmarc/result").asText()).isEqualTo("pass");
  }

  @Test
  @DisplayName("--batch naming a folder or a missing file: exit 1, one line")
  void batch_folderOrMissing_oneLine() {
    oneLineError(
        Cli.run("verify", "--batch", dir.toString()), 1, "cannot read " + dir + ": is a folder");
    oneLineError(
        Cli.run("verify", "--batch", dir.resolve("none.jsonl").toString()), 1, "no such file");
  }

  @Test
  @DisplayName("--report-db with an unknown JDBC URL or a path H2 cannot write: exit 3, one line")
  void reportDb_unusable_exitThree() throws Exception {
    oneLineError(
        Cli.run(verify("--report-db", "jdbc:nosuch:x", LEGIT)),
        3,
        "dmarc verify: cannot open the report database jdbc:nosuch:x: No suitable driver");
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    String under = "jdbc:h2:file:" + file.resolve("sub/reports");
    oneLineError(Cli.run(verify("--report-db", under, LEGIT)), 3, "cannot create the folder");
    oneLineError(
        Cli.run(verify("--report-db", "jdbc:h2:file:" + file.resolve("reports"), LEGIT)),
        3,
        file + " is not a folder");
    oneLineError(
        Cli.run(
            "verify",
            "--report-db",
            "jdbc:nosuch:x",
            "--batch",
            EXAMPLES.resolve("requests.jsonl").toString()),
        3,
        "No suitable driver");
    oneLineError(
        Cli.run(
            "report",
            "aggregate",
            "--db",
            under,
            "--domain",
            "example.com",
            "--begin",
            "0",
            "--end",
            "1",
            "--org-name",
            "o",
            "--email",
            "e@x.example"),
        3,
        "no folder");
  }

  @Test
  @DisplayName(
      "ReportDb.h2Folder: the folder of H2 file URLs; null for memory, server and other URLs")
  void h2Folder_urls_folderOrNull() {
    assertThat(ReportDb.h2Folder("jdbc:h2:file:/var/lib/dmarcj/reports;MODE=PostgreSQL"))
        .isEqualTo(Path.of("/var/lib/dmarcj"));
    assertThat(ReportDb.h2Folder("jdbc:h2:/srv/r")).isEqualTo(Path.of("/srv"));
    assertThat(ReportDb.h2Folder("JDBC:H2:./r"))
        .isEqualTo(Path.of("").toAbsolutePath().resolve("."));
    assertThat(ReportDb.h2Folder("jdbc:h2:mem:x")).isNull();
    assertThat(ReportDb.h2Folder("jdbc:h2:tcp://localhost/r")).isNull();
    assertThat(ReportDb.h2Folder("jdbc:postgresql://db/r")).isNull();
  }

  @Test
  @DisplayName("bad key, key folder, bad canonicalization for dkim-sign: exit 2, one line")
  void dkimSign_badKey_oneLine() throws Exception {
    Path garbage =
        Files.writeString(
            dir.resolve("g.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    oneLineError(
        Cli.run(
            "dkim-sign",
            "--key",
            garbage.toString(),
            "--domain",
            "example.com",
            "--selector",
            "s",
            UNSIGNED),
        2,
        "dmarc dkim-sign: cannot use key");
    oneLineError(
        Cli.run(
            "dkim-sign",
            "--key",
            dir.toString(),
            "--domain",
            "example.com",
            "--selector",
            "s",
            UNSIGNED),
        2,
        "cannot read key " + dir + ": is a folder");
    oneLineError(
        Cli.run(
            "dkim-sign",
            "--key",
            KEY,
            "--domain",
            "example.com",
            "--selector",
            "s",
            "-c",
            "relaxed/relaxed/x",
            UNSIGNED),
        2,
        "--canonicalization is HEADER/BODY");
  }

  @Test
  @DisplayName(
      "zone file that is a folder, missing or garbage; bad --server, --timeout: exit 2, one line")
  void resolverOptions_bad_oneLine() throws Exception {
    oneLineError(
        Cli.run("dns", "txt", "example.com", "--zone", dir.toString()), 2, "cannot load zone file");
    oneLineError(
        Cli.run("dns", "txt", "example.com", "--zone", dir.resolve("none.zone").toString()),
        2,
        "cannot load zone file");
    Path garbage = Files.writeString(dir.resolve("g.zone"), "\u001b[2J garbage zone\n");
    Cli.Result g =
        Cli.run("spf", "--client-ip", "192.0.2.1", "--helo", "h", "--zone", garbage.toString());
    oneLineError(g, 2, "dmarc spf: cannot load zone file");
    assertThat(g.err()).doesNotContain("\u001b");
    oneLineError(Cli.run("dns", "txt", "example.com", "--server", "[::1"), 2, "--server must be");
    oneLineError(
        Cli.run(
            "dns", "txt", "example.com", "--server", "127.0.0.1:1", "--timeout", "99999999999999"),
        2,
        "--timeout must be 1 to 600000");
    oneLineError(
        Cli.run("record", "example.com", "--server", "127.0.0.1:1", "--timeout", "0"),
        2,
        "--timeout must be");
  }

  @Test
  @DisplayName("an invalid --authserv-id is a usage error, also before a batch starts")
  void authservId_invalid_usageError() {
    oneLineError(Cli.run(verify("--authserv-id", "", LEGIT)), 2, "authserv-id must be");
    oneLineError(
        Cli.run(
            "verify",
            "--authserv-id",
            "a b",
            "--batch",
            EXAMPLES.resolve("requests.jsonl").toString()),
        2,
        "authserv-id must be");
  }

  @Test
  @DisplayName(
      "message files that are folders or missing: exit 1 (verify), 4 (dkim); any size verifies")
  void message_unreadable_oneLine() throws Exception {
    oneLineError(Cli.run(verify(dir.toString())), 1, "dmarc verify: cannot read " + dir);
    oneLineError(Cli.run(verify(dir.resolve("none.eml").toString())), 1, "no such file");
    oneLineError(Cli.run("dkim", "--zone", DKIM_ZONE, dir.toString()), 4, "is a folder");
    oneLineError(
        Cli.run("dkim", "--zone", DKIM_ZONE, dir.resolve("none.eml").toString()),
        4,
        "no such file");
    Path big = dir.resolve("big.eml");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(MessageInput.MAX_BYTES + 1); // sparse: 64 MiB of NUL, no header end
    }
    Cli.Result r = Cli.run(verify(big.toString()));
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("dmarc=permerror").contains("header-limit-exceeded");
  }

  @Test
  @DisplayName("- reads the message from standard input for verify and dkim-sign")
  void message_dash_readsStandardInput() throws Exception {
    Cli.Result fromFile = Cli.run(verify("--now", NOW, LEGIT));
    InputStream old = System.in;
    try {
      System.setIn(new ByteArrayInputStream(Files.readAllBytes(Path.of(LEGIT))));
      Cli.Result fromStdin = Cli.run(verify("--now", NOW, "-"));
      assertThat(fromStdin.exitCode()).as(fromStdin.err()).isZero();
      assertThat(fromStdin.out()).isEqualTo(fromFile.out()).contains("dkim=pass");
      System.setIn(new ByteArrayInputStream(Files.readAllBytes(Path.of(UNSIGNED))));
      Cli.Result signed =
          Cli.run(
              "dkim-sign",
              "--key",
              KEY,
              "--domain",
              "example.com",
              "--selector",
              "sel",
              "--now",
              "1700000000",
              "-");
      assertThat(signed.out()).isEqualTo(Files.readString(Path.of(SIGNED), StandardCharsets.UTF_8));
    } finally {
      System.setIn(old);
    }
  }

  @Test
  @DisplayName(
      "a FIFO is read to its end by verify, dkim and dkim-sign (its size of 0 is not trusted)")
  void message_fifo_readWhole() throws Exception {
    Path fifo = dir.resolve("message.fifo");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mk.waitFor()).isZero();
    Cli.Result fromFile = Cli.run(verify("--now", NOW, LEGIT));
    assertThat(fromFile.out()).contains("dkim=pass");
    assertThat(throughFifo(fifo, LEGIT, verify("--now", NOW, fifo.toString())).out())
        .isEqualTo(fromFile.out());
    assertThat(
            throughFifo(
                    fifo,
                    SIGNED,
                    "dkim",
                    "--zone",
                    DKIM_ZONE,
                    "--now",
                    "1700000000",
                    fifo.toString())
                .out())
        .startsWith("dkim=pass");
    assertThat(
            throughFifo(
                    fifo,
                    UNSIGNED,
                    "dkim-sign",
                    "--key",
                    KEY,
                    "--domain",
                    "example.com",
                    "--selector",
                    "sel",
                    "--now",
                    "1700000000",
                    fifo.toString())
                .out())
        .isEqualTo(Files.readString(Path.of(SIGNED), StandardCharsets.UTF_8));
  }

  private static Cli.Result throughFifo(Path fifo, String file, String... args) throws Exception {
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              try (OutputStream o = Files.newOutputStream(fifo)) {
                o.write(Files.readAllBytes(Path.of(file)));
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    Cli.Result r = Cli.run(args);
    writer.get();
    assertThat(r.exitCode()).as(r.err()).isZero();
    return r;
  }

  @Test
  @DisplayName("/dev/stdin fed by a pipe is read whole (a process of its own)")
  void message_devStdinPipe_readWhole() throws Exception {
    Cli.Result fromFile = Cli.run(verify("--now", NOW, LEGIT));
    Cli.Result r =
        JavaProcess.run(Files.readAllBytes(Path.of(LEGIT)), verify("--now", NOW, "/dev/stdin"));
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(fromFile.out()).contains("dmarc=pass");
  }
}
