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
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DohResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * A {@link DnsResolver} that asks DNS servers over the network: the system's resolvers, explicit
 * servers over UDP with TCP fallback, or one DNS-over-HTTPS server (RFC 8484).
 *
 * <p>Queries are fully asynchronous: no thread waits for an answer. Each query attempt waits at
 * most the {@linkplain Builder#timeout(Duration) timeout} for a server (a TCP retry after a
 * truncated UDP answer included), so one query takes at most timeout × servers × (retries + 1). A
 * failed attempt (timeout, network error, SERVFAIL, REFUSED, any other RCODE, no acceptable answer)
 * moves to the next server, and the servers are tried {@linkplain Builder#retries(int) retries} + 1
 * times in turn. Every attempt is a new query with a new random ID.
 *
 * <p>Over UDP and TCP, a response is taken only if it matches the query (RFC 5452 §9.1): it comes
 * from the address and port the query was sent to, carries the query's 16-bit ID, has the QR bit
 * set and opcode QUERY (RFC 1035 §4.1.1), parses, echoes exactly the one question asked (name, type
 * and class IN), and over UDP is no larger than the {@value #EDNS_UDP_PAYLOAD_SIZE} octets the
 * query advertises (RFC 6891 §6.2.5). A datagram that fails any of these is ignored and the attempt
 * keeps waiting for the genuine answer until its timeout: one forged or stray packet can neither
 * answer a query nor end it. If the timeout passes after such datagrams came from the server's
 * address, the attempt fails with {@link TempFailReason#MALFORMED_RESPONSE}, otherwise with {@link
 * TempFailReason#TIMEOUT}. Each query goes out from a fresh socket on a random port (RFC 5452 §9.2)
 * with a random ID from a {@link java.security.SecureRandom}. A matching UDP answer with the TC bit
 * is asked again over TCP within the same attempt (RFC 1035 §4.2.2, RFC 7766 §5); its truncated
 * content is never used.
 *
 * <p>Every answer maps to one of the four {@link DnsLookup} outcomes: NOERROR with records of the
 * type (CNAME chains in the answer section are followed) is {@link DnsLookup.Found}, NOERROR
 * without them is {@link DnsLookup.NoData}, RCODE 3 is {@link DnsLookup.NxDomain}; both negative
 * outcomes carry the TTL of the SOA record in the authority section, the smaller of its TTL and its
 * MINIMUM field (RFC 2308 §5), or 0 without one. Every other RCODE is a {@link DnsLookup.TempFail}:
 * SERVFAIL and REFUSED with their own {@link TempFailReason}, the rest as {@link
 * TempFailReason#OTHER_RCODE}. Everything else, including errors inside the DNS library, is a
 * {@link DnsLookup.TempFail} with its reason; the returned stages never complete exceptionally. A
 * CNAME chain that leaves the answer section (an authoritative server that is not authoritative for
 * the target) is not chased and reads as NODATA.
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

  /**
   * The UDP payload size, in octets, that queries advertise in their EDNS(0) OPT record (RFC 6891
   * §6.2.5), the size DNS Flag Day 2020 settled on to avoid IP fragmentation. A larger UDP response
   * is not accepted; a server with more to say sets TC and the query goes over TCP.
   */
  public static final int EDNS_UDP_PAYLOAD_SIZE = 1232;

  /** The longest CNAME chain followed inside one answer section. */
  public static final int MAX_CNAME_CHAIN = 16;

  /** One server as the attempts see it: sends a query, completes with its outcome. */
  private interface Server {
    CompletableFuture<DnsTransport.Reply> send(Message query);
  }

  private final List<Server> servers;
  private final List<String> serverNames;
  private final int attempts;
  private final long timeoutMillis;
  private final long attemptGuardMillis;
  private final long overallDeadlineMillis;
  private final boolean doh;

  private NetworkDnsResolver(Builder b, List<Server> servers, List<String> serverNames) {
    this.servers = List.copyOf(servers);
    this.serverNames = List.copyOf(serverNames);
    this.attempts = (b.retries + 1) * servers.size();
    this.timeoutMillis = b.timeout.toMillis();
    this.doh = b.doh != null;
    // UDP/TCP exchanges end at their own deadline; this only guards against a stalled I/O thread.
    // dnsjava's DoH client checks its timeouts about once a second: hold the bound here.
    this.attemptGuardMillis = doh ? timeoutMillis : timeoutMillis + 250;
    // A safety net only: each attempt is bounded by the timeout already.
    this.overallDeadlineMillis = attempts * timeoutMillis + 1000;
  }

  /**
   * {@return a resolver using the name servers the system is configured with (resolv.conf or
   * similar)}
   */
  public static NetworkDnsResolver systemDefault() {
    return builder().build();
  }

  /**
   * A builder for a resolver of its own servers, timeout and retries.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the servers in the order they are asked, as {@code host:port} or the DoH URL} */
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
    Record question;
    try {
      question = Record.newRecord(qname, type.code(), DClass.IN);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          DnsLookup.tempFail(TempFailReason.OTHER, "cannot build query: " + e));
    }
    CompletableFuture<DnsLookup<T>> result = attempt(type, qname, question, 0);
    return result.completeOnTimeout(
        DnsLookup.tempFail(
            TempFailReason.TIMEOUT, "no answer within " + overallDeadlineMillis + " ms"),
        overallDeadlineMillis,
        TimeUnit.MILLISECONDS);
  }

  /**
   * A new query for each attempt: a fresh random ID (RFC 5452 §9.2), RD set; over UDP/TCP with an
   * EDNS(0) OPT record advertising {@link #EDNS_UDP_PAYLOAD_SIZE} (RFC 6891 §6.2.5).
   */
  private Message newQuery(Record question) {
    Message query = Message.newQuery(question);
    query.getHeader().setID(DnsTransport.randomId());
    if (!doh) {
      query.addRecord(new OPTRecord(EDNS_UDP_PAYLOAD_SIZE, 0, 0), Section.ADDITIONAL);
    }
    return query;
  }

  private <T> CompletableFuture<DnsLookup<T>> attempt(
      RecordType type, Name qname, Record question, int index) {
    int server = index % servers.size();
    CompletableFuture<DnsLookup<T>> one;
    try {
      one =
          servers
              .get(server)
              .send(newQuery(question))
              .handle((reply, error) -> this.<T>interpret(type, qname, reply, error))
              .completeOnTimeout(
                  DnsLookup.tempFail(
                      TempFailReason.TIMEOUT,
                      "no answer from "
                          + serverNames.get(server)
                          + " within "
                          + timeoutMillis
                          + " ms"),
                  attemptGuardMillis,
                  TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      one = CompletableFuture.completedFuture(fromError(e));
    }
    return one.thenCompose(
        lookup ->
            lookup instanceof DnsLookup.TempFail && index + 1 < attempts
                ? attempt(type, qname, question, index + 1)
                : CompletableFuture.completedFuture(lookup));
  }

  private <T> DnsLookup<T> interpret(
      RecordType type, Name qname, DnsTransport.Reply reply, Throwable error) {
    if (error != null) {
      return fromError(error);
    }
    if (reply instanceof DnsTransport.Failure f) {
      return DnsLookup.tempFail(f.reason(), f.detail());
    }
    try {
      return fromResponse(type, qname, ((DnsTransport.Answer) reply).message());
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
          TempFailReason.MALFORMED_RESPONSE,
          "not an answer to a query: opcode " + Opcode.string(opcode));
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
    String detail =
        e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
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

  private static CompletableFuture<DnsTransport.Reply> udpTcp(
      InetSocketAddress server, Message query, long timeoutNanos) {
    DnsTransport transport;
    try {
      transport = DnsTransport.shared();
    } catch (IOException e) {
      return CompletableFuture.completedFuture(
          new DnsTransport.Failure(TempFailReason.NETWORK_ERROR, "no DNS client: " + e));
    }
    return transport.exchange(server, query, EDNS_UDP_PAYLOAD_SIZE, timeoutNanos);
  }

  /** Configures a {@link NetworkDnsResolver}; by default the system's name servers. */
  public static final class Builder {
    private final List<InetSocketAddress> servers = new ArrayList<>();
    private @Nullable URI doh;
    private Duration timeout = DEFAULT_TIMEOUT;
    private int retries = DEFAULT_RETRIES;

    private Builder() {}

    /**
     * Adds a server to ask, in order; replaces the system's servers.
     *
     * @param server the server's address and port
     * @return this builder
     */
    public Builder addServer(InetSocketAddress server) {
      Objects.requireNonNull(server, "server");
      servers.add(server);
      return this;
    }

    /**
     * Adds a server by IP address (or host name, resolved once here by the system) and port.
     *
     * @param host the server's IP address or host name
     * @param port the server's port, usually 53
     * @return this builder
     */
    public Builder addServer(String host, int port) {
      Objects.requireNonNull(host, "host");
      if (port < 1 || port > 0xFFFF) {
        throw new IllegalArgumentException("port must be 1..65535, was " + port);
      }
      String h =
          host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
      InetSocketAddress a = new InetSocketAddress(h, port);
      if (a.isUnresolved()) {
        throw new IllegalArgumentException("cannot resolve DNS server host '" + host + "'");
      }
      return addServer(a);
    }

    /**
     * Asks one DNS-over-HTTPS server (RFC 8484) instead of UDP/TCP servers; {@code url} is the
     * endpoint, for example {@code https://dns.example/dns-query}.
     *
     * @param url the DoH endpoint
     * @return this builder
     */
    public Builder dnsOverHttps(URI url) {
      Objects.requireNonNull(url, "url");
      String scheme = url.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))
          || url.getHost() == null) {
        throw new IllegalArgumentException(
            "DNS-over-HTTPS URL must be http(s)://host/..., was " + url);
      }
      this.doh = url;
      return this;
    }

    /**
     * Time one attempt waits for one server; default {@link #DEFAULT_TIMEOUT}.
     *
     * @param timeout time one attempt waits for one server
     * @return this builder
     */
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
     *
     * @param retries further rounds over all servers after the first round failed
     * @return this builder
     */
    public Builder retries(int retries) {
      if (retries < 0 || retries > 10) {
        throw new IllegalArgumentException("retries must be 0..10, was " + retries);
      }
      this.retries = retries;
      return this;
    }

    /** The server when neither the builder nor the system names one. */
    @SuppressWarnings("AddressSelection") // an IP literal: nothing to resolve or select
    private static final InetSocketAddress LOCALHOST = new InetSocketAddress("127.0.0.1", 53);

    /**
     * Builds the resolver.
     *
     * @return a new resolver with these settings
     */
    public NetworkDnsResolver build() {
      if (doh != null && !servers.isEmpty()) {
        throw new IllegalStateException(
            "choose either DNS-over-HTTPS (" + doh + ") or servers " + servers + ", not both");
      }
      List<Server> list = new ArrayList<>();
      List<String> names = new ArrayList<>();
      if (doh != null) {
        DohResolver r = new DohResolver(doh.toString());
        r.setTimeout(timeout);
        list.add(
            query ->
                r.sendAsync(query)
                    .toCompletableFuture()
                    .thenApply(m -> (DnsTransport.Reply) new DnsTransport.Answer(m)));
        names.add(doh.toString());
      } else {
        List<InetSocketAddress> use = servers;
        if (use.isEmpty()) {
          use = ResolverConfig.getCurrentConfig().servers();
        }
        if (use.isEmpty()) {
          use = List.of(LOCALHOST);
        }
        long timeoutNanos = timeout.toNanos();
        for (InetSocketAddress s : use) {
          list.add(query -> udpTcp(s, query, timeoutNanos));
          String host = s.getHostString();
          names.add((host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + s.getPort());
        }
      }
      return new NetworkDnsResolver(this, list, names);
    }
  }
}
