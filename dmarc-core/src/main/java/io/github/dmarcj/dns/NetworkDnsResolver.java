// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DohResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * A {@link DnsResolver} that asks DNS servers over the network: the system's resolvers, explicit
 * servers over UDP with TCP fallback, or one DNS-over-HTTPS server (RFC 8484).
 *
 * <p>Queries are fully asynchronous: no thread waits for an answer. Each query attempt waits at
 * most the {@linkplain Builder#timeout(Duration) timeout} for a server (a TCP retry after a
 * truncated UDP answer included), so one query takes at most timeout × servers × (retries + 1);
 * a failed attempt (timeout,
 * network error, SERVFAIL, REFUSED, malformed answer) moves to the next server, and the servers
 * are tried {@linkplain Builder#retries(int) retries} + 1 times in turn. A UDP answer with the TC
 * bit is asked again over TCP (RFC 1035 §4.2.2, RFC 7766 §5).
 *
 * <p>Every answer maps to one of the four {@link DnsLookup} outcomes: NOERROR with records of the
 * type (CNAME chains in the answer section are followed) is {@link DnsLookup.Found}, NOERROR
 * without them is {@link DnsLookup.NoData}, RCODE 3 is {@link DnsLookup.NxDomain}; both negative
 * outcomes carry the TTL of the SOA record in the authority section, the smaller of its TTL and
 * its MINIMUM field (RFC 2308 §5), or 0 without one. Everything else, including errors inside the
 * DNS library, is a {@link DnsLookup.TempFail} with its {@link TempFailReason}; the returned stages
 * never complete exceptionally. A CNAME chain that leaves the answer section (an authoritative
 * server that is not authoritative for the target) is not chased and reads as NODATA.
 *
 * <pre>{@code
 * DnsResolver system = NetworkDnsResolver.systemDefault();
 * DnsResolver quad9 = NetworkDnsResolver.builder()
 *     .addServer("9.9.9.9", 53)
 *     .timeout(Duration.ofSeconds(2))
 *     .build();
 * DnsResolver doh = NetworkDnsResolver.builder()
 *     .dnsOverHttps(URI.create("https://dns.example/dns-query"))
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class NetworkDnsResolver implements DnsResolver {

  /** Time one query attempt waits for one server. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

  /** Further rounds over the servers after the first failed one. */
  public static final int DEFAULT_RETRIES = 1;

  /** The longest CNAME chain followed inside one answer section. */
  public static final int MAX_CNAME_CHAIN = 16;

  private final List<Resolver> resolvers;
  private final List<String> serverNames;
  private final int attempts;
  private final long timeoutMillis;
  private final long overallDeadlineMillis;

  private NetworkDnsResolver(Builder b, List<Resolver> resolvers, List<String> serverNames) {
    this.resolvers = List.copyOf(resolvers);
    this.serverNames = List.copyOf(serverNames);
    this.attempts = (b.retries + 1) * resolvers.size();
    this.timeoutMillis = b.timeout.toMillis();
    // A safety net only: each attempt is bounded by the timeout already.
    this.overallDeadlineMillis = attempts * timeoutMillis + 1000;
  }

  /** A resolver using the name servers the system is configured with (resolv.conf or similar). */
  public static NetworkDnsResolver systemDefault() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The servers in the order they are asked, as {@code host:port} or the DoH URL. */
  public List<String> servers() {
    return serverNames;
  }

  @Override
  public CompletionStage<DnsLookup<String>> txt(String name) {
    return query(RecordType.TXT, name);
  }

  @Override
  public CompletionStage<DnsLookup<Inet4Address>> a(String name) {
    return query(RecordType.A, name);
  }

  @Override
  public CompletionStage<DnsLookup<Inet6Address>> aaaa(String name) {
    return query(RecordType.AAAA, name);
  }

  @Override
  public CompletionStage<DnsLookup<MxRecord>> mx(String name) {
    return query(RecordType.MX, name);
  }

  @Override
  public CompletionStage<DnsLookup<String>> ptr(String name) {
    return query(RecordType.PTR, name);
  }

  @Override
  public String toString() {
    return "NetworkDnsResolver" + serverNames;
  }

  private <T> CompletionStage<DnsLookup<T>> query(RecordType type, String name) {
    Objects.requireNonNull(name, "name");
    Name qname = Wire.toName(name);
    if (qname == null) {
      return CompletableFuture.completedFuture(DnsLookup.nxDomain(0));
    }
    Message query;
    try {
      query = Message.newQuery(Record.newRecord(qname, type.code(), DClass.IN));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          DnsLookup.tempFail(TempFailReason.OTHER, "cannot build query: " + e));
    }
    CompletableFuture<DnsLookup<T>> result = attempt(type, qname, query, 0);
    return result.completeOnTimeout(
        DnsLookup.tempFail(
            TempFailReason.TIMEOUT, "no answer within " + overallDeadlineMillis + " ms"),
        overallDeadlineMillis,
        TimeUnit.MILLISECONDS);
  }

  private <T> CompletableFuture<DnsLookup<T>> attempt(
      RecordType type, Name qname, Message query, int index) {
    Resolver r = resolvers.get(index % resolvers.size());
    CompletableFuture<DnsLookup<T>> one;
    try {
      one =
          r.sendAsync(query)
              .toCompletableFuture()
              .handle((response, error) -> this.<T>interpret(type, qname, response, error))
              // dnsjava checks its own timeouts only about once a second; hold the bound here.
              .completeOnTimeout(
                  DnsLookup.tempFail(
                      TempFailReason.TIMEOUT,
                      "no answer from " + serverNames.get(index % resolvers.size())
                          + " within " + timeoutMillis + " ms"),
                  timeoutMillis,
                  TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      one = CompletableFuture.completedFuture(fromError(e));
    }
    return one.thenCompose(
        lookup ->
            lookup instanceof DnsLookup.TempFail && index + 1 < attempts
                ? attempt(type, qname, query, index + 1)
                : CompletableFuture.completedFuture(lookup));
  }

  private <T> DnsLookup<T> interpret(
      RecordType type, Name qname, Message response, Throwable error) {
    if (error != null) {
      return fromError(error);
    }
    try {
      return fromResponse(type, qname, response);
    } catch (RuntimeException e) {
      return DnsLookup.tempFail(TempFailReason.MALFORMED_RESPONSE, e.toString());
    }
  }

  /** Maps one response to an outcome (package-private for tests). */
  static <T> DnsLookup<T> fromResponse(RecordType type, Name qname, Message response) {
    if (response == null) {
      return DnsLookup.tempFail(TempFailReason.MALFORMED_RESPONSE, "no response message");
    }
    int opcode = response.getHeader().getOpcode();
    if (opcode != Opcode.QUERY) {
      // An UPDATE message, for one, may carry empty records of any type (RFC 2136 §2.5).
      return DnsLookup.tempFail(
          TempFailReason.MALFORMED_RESPONSE, "not an answer to a query: opcode " + Opcode.string(opcode));
    }
    Record question = response.getQuestion();
    if (question != null
        && (!question.getName().equals(qname) || question.getType() != type.code())) {
      return DnsLookup.tempFail(
          TempFailReason.MALFORMED_RESPONSE, "answer to another question: " + question);
    }
    if (response.getHeader().getFlag(Flags.TC)) {
      return DnsLookup.tempFail(TempFailReason.NETWORK_ERROR, "truncated response");
    }
    int rcode = response.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      TempFailReason reason =
          rcode == Rcode.SERVFAIL
              ? TempFailReason.SERVFAIL
              : rcode == Rcode.REFUSED ? TempFailReason.REFUSED : TempFailReason.OTHER_RCODE;
      return DnsLookup.tempFail(reason, "RCODE " + Rcode.string(rcode));
    }
    List<Record> answer = response.getSection(Section.ANSWER);
    Name current = qname;
    long chainTtl = Long.MAX_VALUE;
    for (int link = 0; ; link++) {
      List<T> values = new ArrayList<>();
      long ttl = chainTtl;
      Record cname = null;
      for (Record r : answer) {
        if (!r.getName().equals(current) || r.getDClass() != DClass.IN) {
          continue;
        }
        if (r.getType() == type.code()) {
          values.add(Wire.value(type, r));
          ttl = Math.min(ttl, r.getTTL());
        } else if (r.getType() == Type.CNAME && cname == null) {
          cname = r;
        }
      }
      if (!values.isEmpty()) {
        return DnsLookup.found(values, ttl);
      }
      if (cname == null) {
        break;
      }
      if (link == MAX_CNAME_CHAIN) {
        return DnsLookup.tempFail(
            TempFailReason.MALFORMED_RESPONSE, "CNAME chain longer than " + MAX_CNAME_CHAIN);
      }
      chainTtl = Math.min(chainTtl, cname.getTTL());
      current = ((CNAMERecord) cname).getTarget();
    }
    long negativeTtl = 0;
    for (Record r : response.getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord) {
        negativeTtl = Wire.negativeTtl((SOARecord) r);
        break;
      }
    }
    return rcode == Rcode.NXDOMAIN
        ? DnsLookup.nxDomain(negativeTtl)
        : DnsLookup.noData(negativeTtl);
  }

  /** Maps an exception of the DNS library or the network to an outcome. */
  static <T> DnsLookup<T> fromError(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    String detail = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException
          || t instanceof TimeoutException
          || t instanceof HttpTimeoutException
          || t instanceof InterruptedIOException
          || (t.getMessage() != null
              && t.getMessage().toLowerCase(Locale.ROOT).contains("timed out"))) {
        return DnsLookup.tempFail(TempFailReason.TIMEOUT, detail);
      }
      if (t instanceof WireParseException) {
        return DnsLookup.tempFail(TempFailReason.MALFORMED_RESPONSE, detail);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    if (e instanceof IOException) {
      return DnsLookup.tempFail(TempFailReason.NETWORK_ERROR, detail);
    }
    return DnsLookup.tempFail(TempFailReason.OTHER, detail);
  }

  /** Configures a {@link NetworkDnsResolver}; by default the system's name servers. */
  public static final class Builder {
    private final List<InetSocketAddress> servers = new ArrayList<>();
    private URI doh;
    private Duration timeout = DEFAULT_TIMEOUT;
    private int retries = DEFAULT_RETRIES;

    private Builder() {}

    /** Adds a server to ask, in order; replaces the system's servers. */
    public Builder addServer(InetSocketAddress server) {
      Objects.requireNonNull(server, "server");
      servers.add(server);
      return this;
    }

    /**
     * Adds a server by IP address (or host name, resolved once here by the system) and port.
     */
    public Builder addServer(String host, int port) {
      Objects.requireNonNull(host, "host");
      if (port < 1 || port > 0xFFFF) {
        throw new IllegalArgumentException("port must be 1..65535, was " + port);
      }
      String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
      InetSocketAddress a = new InetSocketAddress(h, port);
      if (a.isUnresolved()) {
        throw new IllegalArgumentException("cannot resolve DNS server host '" + host + "'");
      }
      return addServer(a);
    }

    /**
     * Asks one DNS-over-HTTPS server (RFC 8484) instead of UDP/TCP servers; {@code url} is the
     * endpoint, for example {@code https://dns.example/dns-query}.
     */
    public Builder dnsOverHttps(URI url) {
      Objects.requireNonNull(url, "url");
      String scheme = url.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))
          || url.getHost() == null) {
        throw new IllegalArgumentException("DNS-over-HTTPS URL must be http(s)://host/..., was " + url);
      }
      this.doh = url;
      return this;
    }

    /** Time one attempt waits for one server; default {@link #DEFAULT_TIMEOUT}. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Further rounds over all servers after the first round failed; default {@value
     * #DEFAULT_RETRIES}, 0 for a single attempt per server.
     */
    public Builder retries(int retries) {
      if (retries < 0 || retries > 10) {
        throw new IllegalArgumentException("retries must be 0..10, was " + retries);
      }
      this.retries = retries;
      return this;
    }

    public NetworkDnsResolver build() {
      if (doh != null && !servers.isEmpty()) {
        throw new IllegalStateException(
            "choose either DNS-over-HTTPS (" + doh + ") or servers " + servers + ", not both");
      }
      List<Resolver> resolvers = new ArrayList<>();
      List<String> names = new ArrayList<>();
      if (doh != null) {
        DohResolver r = new DohResolver(doh.toString());
        r.setTimeout(timeout);
        resolvers.add(r);
        names.add(doh.toString());
      } else {
        List<InetSocketAddress> use = servers;
        if (use.isEmpty()) {
          use = ResolverConfig.getCurrentConfig().servers();
        }
        if (use.isEmpty()) {
          use = List.of(new InetSocketAddress("127.0.0.1", 53));
        }
        for (InetSocketAddress s : use) {
          SimpleResolver r = new SimpleResolver(s);
          r.setTimeout(timeout);
          r.setIgnoreTruncation(false);
          resolvers.add(r);
          String host = s.getHostString();
          names.add((host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + s.getPort());
        }
      }
      return new NetworkDnsResolver(this, resolvers, names);
    }
  }
}
