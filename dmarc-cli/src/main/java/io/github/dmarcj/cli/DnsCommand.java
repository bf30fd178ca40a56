// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsNames;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.MxRecord;
import io.github.dmarcj.dns.RecordType;
import java.io.PrintWriter;
import java.net.IDN;
import java.net.InetAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dmarc dns TYPE NAME}: one DNS query, shown the way the library sees it. */
@Command(
    name = "dns",
    mixinStandardHelpOptions = true,
    description = {
      "Look up TXT, A, AAAA, MX or PTR records and show the outcome the library works with:"
          + " found, nodata, nxdomain or tempfail.",
      "PTR also takes an IP address and asks for its reverse name.",
      "Records are printed with control characters escaped (\\r, \\n, \\x1b, \\u202e, ...);"
          + " --json carries them exactly, as JSON escapes."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:records found",
      "1:NODATA or NXDOMAIN",
      "2:usage error",
      "3:temporary failure (timeout, SERVFAIL, ...)"
    })
public final class DnsCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private ResolverOptions resolverOptions;

  @Parameters(index = "0", paramLabel = "TYPE", description = "One of ${COMPLETION-CANDIDATES}.")
  private RecordType type;

  @Parameters(
      index = "1",
      paramLabel = "NAME",
      description = "Domain name (or IP address for PTR).")
  private String name;

  @Option(names = "--json", description = "Print the outcome as JSON.")
  private boolean json;

  @Override
  public Integer call() {
    String query = queryName();
    DnsResolver dns = resolverOptions.resolver();
    DnsLookup<?> lookup = lookup(dns, type, query).toCompletableFuture().join();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(toJson(query, lookup));
    } else {
      printText(out, query, lookup);
    }
    out.flush();
    if (lookup instanceof DnsLookup.Found) {
      return 0;
    }
    return lookup instanceof DnsLookup.TempFail ? 3 : 1;
  }

  private String queryName() {
    String n = name.trim();
    if (type == RecordType.PTR) {
      InetAddress ip = ipLiteral(n);
      if (ip != null) {
        return DnsNames.reverseName(ip);
      }
    }
    if (!n.chars().allMatch(c -> c < 0x80)) {
      try {
        n = IDN.toASCII(n, IDN.ALLOW_UNASSIGNED);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "not a valid domain name: " + name);
      }
    }
    return n;
  }

  /** The address if {@code s} is an IPv4 or IPv6 literal; never asks the DNS. */
  static @Nullable InetAddress ipLiteral(String s) {
    return io.github.dmarcj.dns.IpLiteral.parse(s).orElse(null);
  }

  static CompletionStage<? extends DnsLookup<?>> lookup(
      DnsResolver dns, RecordType type, String name) {
    switch (type) {
      case TXT:
        return dns.txt(name);
      case A:
        return dns.a(name);
      case AAAA:
        return dns.aaaa(name);
      case MX:
        return dns.mx(name);
      case PTR:
        return dns.ptr(name);
      default:
        throw new AssertionError(type);
    }
  }

  /** The text output; every line goes through {@link SafeText}. */
  private void printText(PrintWriter out, String query, DnsLookup<?> lookup) {
    String head = type + " " + query + ": ";
    if (lookup instanceof DnsLookup.Found<?> f) {
      int n = f.records().size();
      line(
          out,
          head
              + "found, "
              + n
              + (n == 1 ? " record" : " records")
              + ", ttl "
              + f.ttlSeconds()
              + "s");
      for (Object r : f.records()) {
        line(out, "  " + text(r));
      }
    } else if (lookup instanceof DnsLookup.NoData<?> nd) {
      line(
          out,
          head
              + "nodata (the name exists, no "
              + type
              + " records), negative ttl "
              + nd.negativeTtlSeconds()
              + "s");
    } else if (lookup instanceof DnsLookup.NxDomain<?> nx) {
      line(
          out,
          head
              + "nxdomain (the name does not exist), negative ttl "
              + nx.negativeTtlSeconds()
              + "s");
    } else if (lookup instanceof DnsLookup.TempFail<?> tf) {
      line(
          out,
          head
              + "tempfail "
              + tf.reason()
              + (tf.detail().isEmpty() ? "" : " (" + tf.detail() + ")"));
    }
  }

  private static void line(PrintWriter out, String text) {
    out.println(SafeText.of(text));
  }

  private static String text(Object record) {
    if (record instanceof InetAddress ip) {
      return ip.getHostAddress();
    }
    if (record instanceof MxRecord mx) {
      return mx.preference() + " " + (mx.exchange().isEmpty() ? "." : mx.exchange());
    }
    return String.valueOf(record);
  }

  private String toJson(String query, DnsLookup<?> lookup) {
    ObjectMapper mapper = SafeText.mapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("type", type.name());
    root.put("name", query);
    if (lookup instanceof DnsLookup.Found<?> f) {
      root.put("outcome", "found");
      root.put("ttl", f.ttlSeconds());
      ArrayNode records = root.putArray("records");
      for (Object r : f.records()) {
        if (r instanceof MxRecord mx) {
          records.addObject().put("preference", mx.preference()).put("exchange", mx.exchange());
        } else {
          records.add(text(r));
        }
      }
    } else if (lookup instanceof DnsLookup.NoData<?> nd) {
      root.put("outcome", "nodata");
      root.put("ttl", nd.negativeTtlSeconds());
      root.putArray("records");
    } else if (lookup instanceof DnsLookup.NxDomain<?> nx) {
      root.put("outcome", "nxdomain");
      root.put("ttl", nx.negativeTtlSeconds());
      root.putArray("records");
    } else if (lookup instanceof DnsLookup.TempFail<?> tf) {
      root.put("outcome", "tempfail");
      root.put("reason", tf.reason().name());
      root.put("detail", tf.detail());
      root.putArray("records");
    }
    try {
      return mapper.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
