// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.bench;

import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.spf.SpfChecker;
import io.github.dmarcj.spf.SpfEvaluation;
import io.github.dmarcj.spf.SpfRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.james.jspf.core.DNSRequest;
import org.apache.james.jspf.core.DNSService;
import org.apache.james.jspf.executor.SPFResult;
import org.apache.james.jspf.impl.SPF;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * SPF evaluations per second, one thread, warm DNS cache: dmarcj's {@link SpfChecker} and Apache
 * James jSPF 1.0.5 on the same zone data, each served from an in-memory map. Three records: (a) one
 * {@code ip4}; (b) {@code a}, {@code mx} and five includes, the last one matching; (c) two
 * macro-heavy {@code exists} terms.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SpfBenchmark {

  /** The shared zone: name -> type -> values (addresses, MX names, TXT strings). */
  static final Map<String, Map<String, List<String>>> ZONE = new HashMap<>();

  static void add(String name, String type, String value) {
    ZONE.computeIfAbsent(name, k -> new HashMap<>())
        .computeIfAbsent(type, k -> new ArrayList<>())
        .add(value);
  }

  static {
    // (a) plain ip4
    add("plain.example", "TXT", "v=spf1 ip4:192.0.2.0/24 -all");
    // (b) a, mx and five includes; the client is in the fifth
    add(
        "includes.example",
        "TXT",
        "v=spf1 a mx include:i1.includes.example include:i2.includes.example"
            + " include:i3.includes.example include:i4.includes.example"
            + " include:i5.includes.example -all");
    add("includes.example", "A", "198.51.100.1");
    add("includes.example", "MX", "mx.includes.example");
    add("mx.includes.example", "A", "198.51.100.2");
    for (int i = 1; i <= 4; i++) {
      add(
          "i" + i + ".includes.example",
          "TXT",
          "v=spf1 ip4:203.0.113." + (i * 16) + "/28 ip6:2001:db8:" + i + "::/48 ~all");
    }
    add("i5.includes.example", "TXT", "v=spf1 ip4:198.51.100.0/28 ip4:192.0.2.0/24 ~all");
    // (c) macro-heavy exists: a miss on a block list, then a per-user, per-address hit
    add(
        "macro.example",
        "TXT",
        "v=spf1 -exists:%{ir}.%{v}._bl.%{d2} exists:%{l1r+-}.%{ir}.%{v}._ok.%{d}"
            + " exists:%{i}.%{l}._x.%{o} -all");
    add("jane.10.2.0.192.in-addr._ok.macro.example", "A", "127.0.0.2");
  }

  static final String CLIENT = "192.0.2.10";

  /**
   * dmarcj's side: the zone in an {@link InMemoryDnsResolver}, whose completed answers are built
   * once, so a query costs a map lookup and returns the same record strings every time.
   */
  static DnsResolver resolver() {
    InMemoryDnsResolver.Builder b = InMemoryDnsResolver.builder();
    ZONE.forEach(
        (name, types) ->
            types.forEach(
                (type, values) -> {
                  switch (type) {
                    case "TXT":
                      values.forEach(v -> b.txt(name, v));
                      break;
                    case "A":
                      values.forEach(v -> b.a(name, v));
                      break;
                    case "MX":
                      values.forEach(v -> b.mx(name, 10, v));
                      break;
                    default:
                      throw new IllegalStateException(type);
                  }
                }));
    return b.build();
  }

  /** jSPF's side: the same data as lists of strings; null means no records. */
  static final class JspfDns implements DNSService {
    @Override
    public @Nullable List<String> getRecords(DNSRequest request) {
      Map<String, List<String>> types = ZONE.get(request.getHostname().toLowerCase(Locale.ROOT));
      if (types == null) {
        return null;
      }
      String type;
      switch (request.getRecordType()) {
        case DNSRequest.A:
          type = "A";
          break;
        case DNSRequest.MX:
          type = "MX";
          break;
        case DNSRequest.TXT:
          type = "TXT";
          break;
        default:
          return null;
      }
      return types.get(type);
    }

    @Override
    public CompletionStage<List<String>> getRecordsAsync(DNSRequest request) {
      return CompletableFuture.completedFuture(getRecords(request));
    }

    @Override
    public List<String> getLocalDomainNames() {
      return List.of("localhost");
    }

    @Override
    public void setTimeOut(int timeOut) {}

    @Override
    public int getRecordLimit() {
      return 0;
    }

    @Override
    public void setRecordLimit(int recordLimit) {}
  }

  static InetAddress address(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  SpfChecker checker;
  SPF jspf;
  InetAddress client;

  @Setup(Level.Trial)
  public void setUp() {
    checker = SpfChecker.builder(resolver()).receiver("mx.receiver.example").build();
    jspf = new SPF(new JspfDns());
    client = address(CLIENT);
    // both sides must agree before anything is measured
    for (String domain : new String[] {"plain.example", "includes.example", "macro.example"}) {
      SpfResult ours = ours(domain).result();
      String theirs = theirs(domain).getResult();
      if (ours != SpfResult.PASS || !"pass".equals(theirs)) {
        throw new IllegalStateException(domain + ": dmarcj " + ours + ", jSPF " + theirs);
      }
    }
  }

  SpfEvaluation ours(String domain) {
    return checker
        .check(SpfRequest.mailFrom(client, "jane@" + domain, "mail." + domain))
        .toCompletableFuture()
        .join();
  }

  SPFResult theirs(String domain) {
    return jspf.checkSPF(CLIENT, "jane@" + domain, "mail." + domain);
  }

  @Benchmark
  public SpfEvaluation a_plainIp4_dmarcj() {
    return ours("plain.example");
  }

  @Benchmark
  public SPFResult a_plainIp4_jspf() {
    return theirs("plain.example");
  }

  @Benchmark
  public SpfEvaluation b_fiveIncludes_dmarcj() {
    return ours("includes.example");
  }

  @Benchmark
  public SPFResult b_fiveIncludes_jspf() {
    return theirs("includes.example");
  }

  @Benchmark
  public SpfEvaluation c_macroExists_dmarcj() {
    return ours("macro.example");
  }

  @Benchmark
  public SPFResult c_macroExists_jspf() {
    return theirs("macro.example");
  }
}
