// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

final class RecordCommandTest {

  private static final String ZONE = Cli.resource("record/record.zone");

  private static Cli.Result record(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "record";
    all[1] = "--zone";
    all[2] = ZONE;
    System.arraycopy(args, 0, all, 3, args.length);
    return Cli.run(all);
  }

  private static JsonNode json(String... args) throws Exception {
    String[] all = new String[args.length + 1];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--json";
    Cli.Result r = record(all);
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("exitCode").asInt()).isEqualTo(r.exitCode());
    return j;
  }

  private static List<String> codes(JsonNode j) {
    List<String> out = new ArrayList<>();
    j.get("findings")
        .forEach(f -> out.add(f.get("severity").asText() + " " + f.get("code").asText()));
    return out;
  }

  @Test
  @DisplayName("RFC 9989 §4.10: a clean record: where it is, what happens, no problems, exit 0")
  void record_goodDomain_clean() {
    Cli.Result r = record("good.example");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("DMARC policy for good.example (RFC 9989, treewalk discovery)")
        .contains("found at _dmarc.good.example (the domain itself)")
        .contains("From good.example: reject it (p=reject)")
        .contains("From non-existent subdomains of good.example: reject it (np=reject)")
        .contains("Aggregate reports go to mailto:dmarc@good.example, mailto:agg@vendor.example.")
        .contains("No problems found.")
        .contains("_dmarc.good.example: one record");
  }

  @Test
  @DisplayName("RFC 9989 §4.10.1: a subdomain inherits sp; a non-existent one np")
  void record_subdomains_spOrNp() throws Exception {
    JsonNode existing = json("mail.good.example");
    assertThat(existing.get("policyDomain").asText()).isEqualTo("good.example");
    assertThat(existing.get("source").asText()).isEqualTo("organizational_domain");
    assertThat(existing.get("failingMail").get(0).asText())
        .isEqualTo(
            "From mail.good.example (which exists): reject it (sp=reject in the record of good.example)");
    JsonNode ghost = json("ghost.good.example");
    assertThat(ghost.get("failingMail").get(0).asText())
        .contains("(which does not exist)")
        .contains("np=reject");
    assertThat(codes(ghost)).containsExactly("info inherited");
    assertThat(ghost.get("exitCode").asInt()).isZero();
  }

  @Test
  @DisplayName(
      "RFC 9989 §4.7 and §4.8, RFC 9990 §4: every problem of a weak record is listed, exit 1")
  void record_weakDomain_allProblems() throws Exception {
    JsonNode j = json("weak.example");
    assertThat(codes(j))
        .containsExactlyInAnyOrder(
            "warning obsolete-tag",
            "warning obsolete-tag",
            "warning unknown-tag",
            "error invalid-value",
            "warning unsupported-uri",
            "warning partial-enforcement",
            "warning sp-weaker",
            "error rua-not-authorized");
    assertThat(j.get("reportDestinations").get(0).get("status").asText())
        .isEqualTo("not_authorized");
    assertThat(j.get("exitCode").asInt()).isEqualTo(1);
  }

  @Test
  @DisplayName("RFC 7489 mode: pct and ri are fine, np/t/psd are noted as ignored, PSL discovery")
  void record_weakDomain7489_modeSpecificFindings() throws Exception {
    JsonNode j = json("weak.example", "--dmarc-mode", "rfc7489");
    assertThat(j.get("mode").asText()).isEqualTo("rfc7489");
    assertThat(j.get("discoveryMethod").asText()).isEqualTo("psl");
    assertThat(codes(j)).doesNotContain("warning obsolete-tag").contains("info rfc9989-tag");
    assertThat(j.get("failingMail").toString())
        .contains("only 20% of failing mail gets the policy");
  }

  @Test
  @DisplayName("RFC 9989 §5.4: p=none and no rua are warned about; still exit 0")
  void record_monitorOnly_warnings() throws Exception {
    JsonNode j = json("monitor.example");
    assertThat(codes(j)).containsExactly("warning monitoring-only", "warning no-rua");
    assertThat(j.get("exitCode").asInt()).isZero();
  }

  @Test
  @DisplayName("RFC 9989 §4.10: several records at one name: error, no policy, exit 1")
  void record_twoRecords_error() {
    Cli.Result r = record("twice.example");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out())
        .contains("no record applies: several DMARC records at one name")
        .contains("multiple-records")
        .contains("_dmarc.twice.example: 2 records (none counts)");
  }

  @Test
  @DisplayName("RFC 9989 §4.7: t=y is explained and warned about")
  void record_testing_explained() throws Exception {
    JsonNode j = json("testing.example");
    assertThat(codes(j)).containsExactly("warning testing-mode");
    assertThat(j.get("failingMail").toString()).contains("receivers apply one level less");
  }

  @Test
  @DisplayName("RFC 9989 §4.10.1: an invalid p without rua makes the record unusable")
  void record_invalidPolicy_unusable() throws Exception {
    JsonNode j = json("broken.example");
    assertThat(codes(j)).containsExactly("error invalid-policy", "error policy-unusable");
    assertThat(j.get("failingMail").get(0).asText()).startsWith("Nothing");
  }

  @Test
  @DisplayName("RFC 9989 §4.10.1: a domain governed by a PSD record is told to publish its own")
  void record_psdGoverned_warning() throws Exception {
    JsonNode j = json("shop.psd");
    assertThat(j.get("source").asText()).isEqualTo("public_suffix_domain");
    assertThat(j.get("policyDomain").asText()).isEqualTo("psd");
    assertThat(codes(j)).containsExactly("warning inherited");
  }

  @Test
  @DisplayName("RFC 9989 §4.10.1: no record at all: error, exit 1, with the queries made")
  void record_noRecord_exitOne() throws Exception {
    JsonNode j = json("plain.example");
    assertThat(j.get("found").asBoolean()).isFalse();
    assertThat(j.get("reason").asText()).isEqualTo("no_record");
    assertThat(codes(j)).containsExactly("error no-record");
    assertThat(j.get("queries")).hasSize(2);
  }

  @Test
  @DisplayName("a name that is not a domain is a usage error, exit 2")
  void record_badDomain_usage() {
    Cli.Result r = record("bad..name");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("not a domain name");
  }

  @Test
  @DisplayName("RFC 9989 §4.7: an over-long record is named as discarded, not as missing")
  void record_overLongRecord_saysDiscarded(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    StringBuilder txt = new StringBuilder("\"v=DMARC1; p=reject; rua=mailto:a@long.example\"");
    for (int i = 0; i < 40; i++) {
      txt.append(" \"; x").append(i).append('=').append("y".repeat(240)).append('"');
    }
    java.nio.file.Path zone = dir.resolve("long.zone");
    java.nio.file.Files.writeString(
        zone,
        "$ORIGIN long.example.\n@ 300 IN SOA ns hostmaster 1 3600 600 86400 300\n"
            + "_dmarc 300 IN TXT "
            + txt
            + "\n");
    Cli.Result r = Cli.run("record", "--zone", zone.toString(), "long.example");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.out())
        .as("stderr: %.300s", r.err())
        .contains("record-discarded")
        .contains("over " + io.github.dmarcj.dmarc.DmarcRecordParser.MAX_RECORD_LENGTH)
        .contains("_dmarc.long.example: no usable record (record of ");
  }
}
