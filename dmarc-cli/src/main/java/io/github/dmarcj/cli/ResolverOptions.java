// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import io.github.dmarcj.dns.CachingDnsResolver;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.NetworkDnsResolver;
import io.github.dmarcj.dns.ZoneFileResolver;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * DNS options shared by every subcommand that queries the DNS ({@code @Mixin}). Without options the
 * system's name servers are asked, through a cache. {@code --zone} answers from master files only,
 * with no network.
 */
public final class ResolverOptions {

  /** Longest --timeout: ten minutes. */
  static final long MAX_TIMEOUT_MILLIS = 600_000;

  @Spec(Spec.Target.MIXEE)
  private CommandSpec spec;

  @Option(
      names = "--zone",
      paramLabel = "FILE",
      description =
          "Answer DNS queries from this RFC 1035 zone file only, no network (repeatable). Names"
              + " outside every zone are NXDOMAIN.")
  private List<Path> zones = new ArrayList<>();

  @Option(
      names = "--server",
      paramLabel = "HOST[:PORT]",
      description =
          "Ask this DNS server instead of the system's (repeatable; IPv6 as [addr]:port).")
  private List<String> servers = new ArrayList<>();

  @Option(
      names = "--doh",
      paramLabel = "URL",
      description =
          "Ask this DNS-over-HTTPS endpoint (RFC 8484), e.g. https://dns.example/dns-query.")
  private @Nullable URI doh;

  @Option(
      names = "--timeout",
      paramLabel = "MILLIS",
      description =
          "Time one DNS query attempt waits for a server, 1 to "
              + ResolverOptions.MAX_TIMEOUT_MILLIS
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "3000")
  private long timeoutMillis;

  /**
   * {@return the resolver the options ask for; usage errors are reported as picocli parameter
   * errors}
   */
  public DnsResolver resolver() {
    if (!zones.isEmpty()) {
      if (!servers.isEmpty() || doh != null) {
        throw usage("--zone answers from files only; it cannot be combined with --server or --doh");
      }
      ZoneFileResolver.Builder b = ZoneFileResolver.builder();
      for (Path z : zones) {
        try {
          b.addFile(z);
        } catch (UncheckedIOException e) {
          throw usage("cannot load zone file " + z + ": " + MessageInput.problem(e));
        } catch (RuntimeException e) {
          throw usage("cannot load zone file " + z + ": " + SafeText.message(e));
        }
      }
      try {
        return b.build();
      } catch (RuntimeException e) {
        throw usage("bad zone data: " + SafeText.message(e));
      }
    }
    if (timeoutMillis <= 0 || timeoutMillis > MAX_TIMEOUT_MILLIS) {
      throw usage(
          "--timeout must be 1 to " + MAX_TIMEOUT_MILLIS + " milliseconds, was " + timeoutMillis);
    }
    NetworkDnsResolver.Builder b =
        NetworkDnsResolver.builder().timeout(Duration.ofMillis(timeoutMillis));
    if (doh != null) {
      if (!servers.isEmpty()) {
        throw usage("choose either --doh or --server, not both");
      }
      try {
        b.dnsOverHttps(doh);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
    }
    for (String s : servers) {
      HostPort hp = HostPort.parse(s);
      if (hp == null) {
        throw usage("--server must be HOST or HOST:PORT (IPv6 as [addr]:port), was '" + s + "'");
      }
      try {
        b.addServer(hp.host(), hp.port());
      } catch (IllegalArgumentException e) {
        throw usage("--server " + s + ": " + e.getMessage());
      }
    }
    return CachingDnsResolver.of(b.build());
  }

  /** {@return whether any DNS option was given (else a caller may use its own defaults)} */
  boolean given() {
    return !zones.isEmpty()
        || !servers.isEmpty()
        || doh != null
        || spec.commandLine().getParseResult().hasMatchedOption("--timeout");
  }

  private ParameterException usage(@Nullable String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** A server address as typed: {@code host}, {@code host:port}, {@code [v6]:port} or bare v6. */
  record HostPort(String host, int port) {
    static @Nullable HostPort parse(String s) {
      String host;
      String port = null;
      if (s.startsWith("[")) {
        int close = s.indexOf(']');
        if (close < 0) {
          return null;
        }
        host = s.substring(1, close);
        String rest = s.substring(close + 1);
        if (!rest.isEmpty()) {
          if (!rest.startsWith(":")) {
            return null;
          }
          port = rest.substring(1);
        }
      } else if (s.indexOf(':') != s.lastIndexOf(':')) {
        host = s; // bare IPv6 address
      } else {
        int colon = s.indexOf(':');
        host = colon < 0 ? s : s.substring(0, colon);
        port = colon < 0 ? null : s.substring(colon + 1);
      }
      if (host.isEmpty()) {
        return null;
      }
      int p = 53;
      if (port != null) {
        try {
          p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
          return null;
        }
        if (p < 1 || p > 65535) {
          return null;
        }
      }
      return new HostPort(host, p);
    }
  }
}
