// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Sends one DNS query to one server over UDP, and over TCP when the UDP answer is truncated, and
 * waits for the answer that belongs to it. dnsjava is used only for the wire format.
 *
 * <p>A datagram is the answer only if it matches the query in every way RFC 5452 §9.1 lists and
 * then some: it comes from the server's address and port the query went to, carries the query's ID,
 * has QR set (RFC 1035 §4.1.1), opcode QUERY, is no larger than the UDP payload size the query
 * advertised (RFC 6891 §6.2.5), parses, and echoes exactly the one question (name, type, class).
 * Anything else is <em>ignored</em>, and the exchange goes on waiting for the genuine answer until
 * its deadline: a stray or forged datagram can neither answer the query nor end it. Over TCP (RFC
 * 7766), a message on the connection that does not match is skipped the same way.
 *
 * <p>Each query uses a fresh UDP socket bound to a random port (RFC 5452 §9.2, RFC 6056); the
 * caller gives each query a random ID. The socket is not connected, so ICMP errors cannot end an
 * exchange either. One daemon thread with one {@link Selector} serves every exchange of the
 * process; no thread waits for an answer, and completions are handed to the common pool, so
 * callers' code never runs on the I/O thread.
 *
 * <p>(Over 500 lines on purpose: the UDP and TCP exchanges share the checks a response must pass
 * (RFC 5452 §9.1) and the retry and truncation handling, which are easier to verify side by side.)
 */
final class DnsTransport {

  /** The outcome of one exchange: the matching response, or why there is none. */
  sealed interface Reply permits Answer, Failure {}

  /** The response that matched the query. */
  record Answer(Message message) implements Reply {}

  /** No matching response: the reason and a human-readable detail. */
  record Failure(TempFailReason reason, String detail) implements Reply {
    Failure {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }

  private static final int DNS_HEADER = 12;
  private static final int MAX_DATAGRAM = 65_536;
  private static final int RANDOM_PORT_TRIES = 16;
  private static final int FIRST_RANDOM_PORT = 1024;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Object LOCK = new Object();
  private static @Nullable DnsTransport shared;

  private final Selector selector;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  // Touched by the I/O thread only.
  private final PriorityQueue<Exchange> deadlines =
      new PriorityQueue<>((a, b) -> Long.compare(a.deadline - b.deadline, 0));
  private final ByteBuffer datagram = ByteBuffer.allocate(MAX_DATAGRAM);

  private DnsTransport(Selector selector) {
    this.selector = selector;
    Thread t = new Thread(this::run, "dmarcj-dns-io");
    t.setDaemon(true);
    t.start();
  }

  /** The transport of this process, started on first use. */
  static DnsTransport shared() throws IOException {
    synchronized (LOCK) {
      if (shared == null) {
        shared = new DnsTransport(Selector.open());
      }
      return shared;
    }
  }

  /** A random 16-bit message ID (RFC 5452 §9.2). */
  static int randomId() {
    return RANDOM.nextInt(0x10000);
  }

  /**
   * Sends {@code query} to {@code server} and completes with the matching answer, or a failure at
   * the latest {@code timeoutNanos} after this call (a TCP retry included). {@code udpPayloadSize}
   * is the EDNS(0) size the query advertises. Never completes exceptionally.
   */
  CompletableFuture<Reply> exchange(
      InetSocketAddress server, Message query, int udpPayloadSize, long timeoutNanos) {
    CompletableFuture<Reply> result = new CompletableFuture<>();
    Exchange ex;
    try {
      ex = new Exchange(server, query, udpPayloadSize, System.nanoTime() + timeoutNanos, result);
    } catch (RuntimeException e) {
      result.complete(new Failure(TempFailReason.OTHER, "cannot send query: " + e));
      return result;
    }
    tasks.add(ex::start);
    selector.wakeup();
    return result;
  }

  // ---------------------------------------------------------------- the I/O thread

  private void run() {
    while (true) {
      try {
        Runnable task;
        while ((task = tasks.poll()) != null) {
          task.run();
        }
        long now = System.nanoTime();
        while (!deadlines.isEmpty() && deadlines.peek().deadline - now <= 0) {
          deadlines.poll().expire();
        }
        long waitMillis = 0;
        if (!deadlines.isEmpty()) {
          waitMillis = Math.max(1, (deadlines.peek().deadline - now + 999_999) / 1_000_000);
        }
        if (!tasks.isEmpty()) {
          selector.selectNow();
        } else {
          selector.select(waitMillis);
        }
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey key = keys.next();
          keys.remove();
          Exchange e = (Exchange) key.attachment();
          try {
            e.ready(key);
          } catch (CancelledKeyException gone) {
            // closed by an earlier step of this round
          } catch (RuntimeException bug) {
            e.finish(new Failure(TempFailReason.OTHER, "DNS client error: " + bug));
          }
        }
      } catch (ClosedSelectorException | IOException broken) {
        // Not expected for a selector nobody closes; keep serving the deadlines at least.
        sleepQuietly();
      } catch (RuntimeException bug) {
        // One exchange's defect must not stop the thread that serves all others.
      }
    }
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One query to one server; all state is confined to the I/O thread after {@link #start}. */
  private final class Exchange {
    private final InetSocketAddress server;
    private final int id;
    private final Name qname;
    private final int qtype;
    private final int udpPayloadSize;
    private final byte[] wire;
    private final long deadline;
    private final long startNanos = System.nanoTime();
    private final CompletableFuture<Reply> result;

    private @Nullable DatagramChannel udp;
    private boolean udpSent;
    private @Nullable SocketChannel tcp;
    private @Nullable ByteBuffer tcpOut;
    private final ByteBuffer tcpLength = ByteBuffer.allocate(2);
    private @Nullable ByteBuffer tcpIn;
    private boolean done;
    private int ignoredFromServer;
    private int ignoredFromElsewhere;
    private @Nullable String lastIgnored;

    Exchange(
        InetSocketAddress server,
        Message query,
        int udpPayloadSize,
        long deadline,
        CompletableFuture<Reply> result) {
      this.server = server;
      Record q = query.getQuestion();
      this.id = query.getHeader().getID();
      this.qname = q.getName();
      this.qtype = q.getType();
      this.udpPayloadSize = Math.max(512, udpPayloadSize);
      this.wire = query.toWire();
      this.deadline = deadline;
      this.result = result;
    }

    void start() {
      deadlines.add(this);
      try {
        if (server.isUnresolved()) {
          finish(new Failure(TempFailReason.NETWORK_ERROR, "unresolved server " + server));
          return;
        }
        udp = DatagramChannel.open(family(server.getAddress()));
        bindRandomPort(udp, server.getAddress());
        udp.configureBlocking(false);
        SelectionKey key = udp.register(selector, SelectionKey.OP_READ, this);
        sendUdp(key);
      } catch (IOException | RuntimeException e) {
        finish(new Failure(TempFailReason.NETWORK_ERROR, "UDP to " + serverName() + ": " + e));
      }
    }

    // NullAway: udp is open while its key is registered, tcp (with tcpOut) from startTcp on, and
    // the selector calls this only for a registered key.
    @SuppressWarnings("NullAway")
    private void sendUdp(SelectionKey key) throws IOException {
      if (udp.send(ByteBuffer.wrap(wire), server) > 0) {
        udpSent = true;
        key.interestOps(SelectionKey.OP_READ);
      } else {
        // The socket's send buffer is full: send when it is writable.
        key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
      }
    }

    // NullAway: udp is open while its key is registered, tcp (with tcpOut) from startTcp on, and
    // the selector calls this only for a registered key.
    @SuppressWarnings("NullAway")
    void ready(SelectionKey key) {
      if (done) {
        return;
      }
      try {
        if (key.channel() == udp) {
          if (key.isWritable() && !udpSent) {
            sendUdp(key);
          }
          if (key.isReadable()) {
            readDatagrams();
          }
        } else if (key.channel() == tcp) {
          if (key.isConnectable()) {
            if (!tcp.finishConnect()) {
              return;
            }
            key.interestOps(SelectionKey.OP_WRITE);
            return;
          }
          if (key.isWritable()) {
            tcp.write(tcpOut);
            if (!tcpOut.hasRemaining()) {
              key.interestOps(SelectionKey.OP_READ);
            }
          }
          if (key.isReadable()) {
            readTcp();
          }
        }
      } catch (IOException e) {
        finish(
            new Failure(
                TempFailReason.NETWORK_ERROR,
                (tcp != null ? "TCP" : "UDP") + " to " + serverName() + ": " + e));
      }
    }

    // NullAway: udp is open while its key is registered, tcp (with tcpOut) from startTcp on, and
    // the selector calls this only for a registered key.
    @SuppressWarnings("NullAway")
    private void readDatagrams() throws IOException {
      while (!done) {
        datagram.clear();
        SocketAddress from = udp.receive(datagram);
        if (from == null) {
          return;
        }
        datagram.flip();
        byte[] bytes = new byte[datagram.remaining()];
        datagram.get(bytes);
        if (!fromServer(from)) {
          ignoredFromElsewhere++;
          lastIgnored = "a datagram from " + from;
          continue;
        }
        String why =
            bytes.length > udpPayloadSize
                ? bytes.length + " octets, more than the " + udpPayloadSize + " advertised"
                : null;
        Message m = why == null ? matching(bytes) : null;
        if (m == null) {
          ignoredFromServer++;
          if (why != null) {
            lastIgnored = why;
          }
          continue;
        }
        if (m.getHeader().getFlag(Flags.TC)) {
          startTcp();
          return;
        }
        finish(new Answer(m));
      }
    }

    private boolean fromServer(SocketAddress from) {
      if (!(from instanceof InetSocketAddress)) {
        return false;
      }
      InetSocketAddress f = (InetSocketAddress) from;
      return f.getPort() == server.getPort() && f.getAddress().equals(server.getAddress());
    }

    /**
     * The message in {@code bytes} if it is the response to this query, else {@code null} with the
     * reason kept in {@link #lastIgnored}.
     */
    private @Nullable Message matching(byte[] bytes) {
      if (bytes.length < DNS_HEADER) {
        lastIgnored = bytes.length + " octets, shorter than a DNS header";
        return null;
      }
      int rid = ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
      if (rid != id) {
        lastIgnored = "ID " + rid + " instead of " + id;
        return null;
      }
      if ((bytes[2] & 0x80) == 0) {
        lastIgnored = "QR bit clear: a query, not a response";
        return null;
      }
      int opcode = (bytes[2] >>> 3) & 0xF;
      if (opcode != Opcode.QUERY) {
        lastIgnored = "opcode " + Opcode.string(opcode) + " instead of QUERY";
        return null;
      }
      Message m;
      try {
        m = new Message(bytes);
      } catch (IOException | RuntimeException e) {
        lastIgnored = "unparseable: " + e.getMessage();
        return null;
      }
      List<Record> question = m.getSection(Section.QUESTION);
      if (question.size() != 1) {
        lastIgnored = question.size() + " questions instead of 1";
        return null;
      }
      Record q = question.get(0);
      if (!q.getName().equals(qname) || q.getType() != qtype || q.getDClass() != DClass.IN) {
        lastIgnored = "the answer to another question: " + q;
        return null;
      }
      return m;
    }

    private void startTcp() throws IOException {
      closeQuietly(udp);
      tcpOut = ByteBuffer.allocate(wire.length + 2);
      tcpOut.put((byte) (wire.length >>> 8)).put((byte) wire.length).put(wire).flip();
      tcp = SocketChannel.open();
      tcp.configureBlocking(false);
      if (tcp.connect(server)) {
        tcp.register(selector, SelectionKey.OP_WRITE, this);
      } else {
        tcp.register(selector, SelectionKey.OP_CONNECT, this);
      }
    }

    // NullAway: udp is open while its key is registered, tcp (with tcpOut) from startTcp on, and
    // the selector calls this only for a registered key.
    @SuppressWarnings("NullAway")
    private void readTcp() throws IOException {
      while (!done) {
        ByteBuffer target = tcpIn == null ? tcpLength : tcpIn;
        int n = tcp.read(target);
        if (n < 0) {
          finish(
              new Failure(
                  TempFailReason.NETWORK_ERROR,
                  "TCP connection to "
                      + serverName()
                      + " closed before an answer"
                      + (ignoredFromServer > 0 ? "; ignored " + describeIgnored() : "")));
          return;
        }
        if (target.hasRemaining()) {
          return;
        }
        if (tcpIn == null) {
          tcpLength.flip();
          int length = tcpLength.getShort() & 0xFFFF;
          tcpLength.clear();
          tcpIn = ByteBuffer.allocate(length);
          if (length > 0) {
            continue;
          }
        }
        byte[] bytes = tcpIn.array();
        tcpIn = null;
        Message m = matching(bytes);
        if (m == null) {
          // Not ours: RFC 7766 §7 lets responses arrive in any order; read on.
          ignoredFromServer++;
          continue;
        }
        finish(new Answer(m));
      }
    }

    void expire() {
      if (done) {
        return;
      }
      long millis = (System.nanoTime() - startNanos) / 1_000_000;
      String what = (tcp != null ? "TCP retry after a truncated answer from " : "") + serverName();
      if (ignoredFromServer > 0) {
        finish(
            new Failure(
                TempFailReason.MALFORMED_RESPONSE,
                "no acceptable answer from "
                    + what
                    + " within "
                    + millis
                    + " ms; ignored "
                    + describeIgnored()));
      } else {
        finish(
            new Failure(
                TempFailReason.TIMEOUT,
                "no answer from "
                    + what
                    + " within "
                    + millis
                    + " ms"
                    + (ignoredFromElsewhere > 0 ? "; ignored " + describeIgnored() : "")));
      }
    }

    private String describeIgnored() {
      int n = ignoredFromServer + ignoredFromElsewhere;
      return n
          + (n == 1 ? " response" : " responses")
          + " that did not match the query (last: "
          + lastIgnored
          + ")";
    }

    void finish(Reply reply) {
      if (done) {
        return;
      }
      done = true;
      closeQuietly(udp);
      closeQuietly(tcp);
      // Callers' continuations run in the pool, never on the I/O thread.
      result.completeAsync(() -> reply);
    }

    private String serverName() {
      InetAddress a = server.getAddress();
      String host = a == null ? server.getHostString() : a.getHostAddress();
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + server.getPort();
    }
  }

  private static ProtocolFamily family(InetAddress a) {
    return a instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
  }

  /** Binds to a random unprivileged port, or to one the system picks if those are all taken. */
  private static void bindRandomPort(DatagramChannel ch, InetAddress server) throws IOException {
    InetAddress any =
        server instanceof Inet6Address
            ? InetAddress.getByAddress(new byte[16])
            : InetAddress.getByAddress(new byte[4]);
    for (int i = 0; i < RANDOM_PORT_TRIES; i++) {
      int port = FIRST_RANDOM_PORT + RANDOM.nextInt(0x10000 - FIRST_RANDOM_PORT);
      try {
        ch.bind(new InetSocketAddress(any, port));
        return;
      } catch (BindException taken) {
        // try another
      }
    }
    ch.bind(new InetSocketAddress(any, 0));
  }

  private static void closeQuietly(java.nio.channels.@Nullable Channel c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException e) {
      // nothing left to do with it
    }
  }
}
