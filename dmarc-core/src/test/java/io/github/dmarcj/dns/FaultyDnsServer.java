// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A DNS server on 127.0.0.1 for tests of clients facing a misbehaving or hostile network: UDP and
 * TCP on the same port, and a second UDP socket on another port for datagrams that come from the
 * wrong place. A handler decides, per query, which datagrams go back (none, one, several, from
 * which socket); another decides what a TCP query gets ({@code null}: the connection is closed
 * without an answer). The static helpers build the usual faults from a genuine answer.
 */
@SuppressWarnings("exports") // a test helper: its dnsjava types are for tests, not module clients
public final class FaultyDnsServer implements AutoCloseable {

  /** One datagram to send back, from the server's port or from the other one. */
  public record Datagram(byte[] bytes, boolean fromOtherPort) {
    public static Datagram of(byte[] bytes) {
      return new Datagram(bytes, false);
    }

    public static Datagram fromOtherPort(byte[] bytes) {
      return new Datagram(bytes, true);
    }
  }

  /** A query as it arrived over UDP: its ID and the client's source port. */
  public record Seen(int id, int sourcePort) {}

  private final DatagramSocket udp;
  private final DatagramSocket other;
  private final ServerSocket tcp;
  private final Function<Message, List<Datagram>> udpHandler;
  private final Function<Message, byte[]> tcpHandler;
  private final ExecutorService tcpWorkers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "faulty-dns-tcp");
            t.setDaemon(true);
            return t;
          });
  private final Thread udpThread;
  private final Thread tcpThread;
  private final AtomicInteger udpQueries = new AtomicInteger();
  private final AtomicInteger tcpQueries = new AtomicInteger();
  private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());

  /**
   * Starts a server; {@code udpHandler} returns the datagrams for one UDP query (empty or {@code
   * null}: silence), {@code tcpHandler} the message for one TCP query ({@code null}: close).
   */
  public FaultyDnsServer(
      Function<Message, List<Datagram>> udpHandler, Function<Message, byte[]> tcpHandler)
      throws IOException {
    this.udpHandler = udpHandler;
    this.tcpHandler = tcpHandler;
    DatagramSocket u = null;
    ServerSocket t = null;
    for (int i = 0; i < 20 && t == null; i++) {
      u = new DatagramSocket(0, InetAddress.getLoopbackAddress());
      try {
        t = new ServerSocket(u.getLocalPort(), 50, InetAddress.getLoopbackAddress());
      } catch (IOException busy) {
        u.close();
      }
    }
    if (t == null) {
      throw new IOException("no port free for both UDP and TCP");
    }
    this.udp = u;
    this.tcp = t;
    this.other = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    udpThread = new Thread(this::serveUdp, "faulty-dns-udp-" + port());
    udpThread.setDaemon(true);
    udpThread.start();
    tcpThread = new Thread(this::serveTcp, "faulty-dns-tcp-" + port());
    tcpThread.setDaemon(true);
    tcpThread.start();
  }

  /** A UDP-only server: TCP connections are closed without an answer. */
  public static FaultyDnsServer udp(Function<Message, List<Datagram>> udpHandler)
      throws IOException {
    return new FaultyDnsServer(udpHandler, q -> null);
  }

  public int port() {
    return udp.getLocalPort();
  }

  /** The port the "wrong source" datagrams come from. */
  public int otherPort() {
    return other.getLocalPort();
  }

  public int udpQueries() {
    return udpQueries.get();
  }

  public int tcpQueries() {
    return tcpQueries.get();
  }

  /** ID and source port of every UDP query, oldest first. */
  public List<Seen> seen() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  private void serveUdp() {
    byte[] buf = new byte[65535];
    while (!udp.isClosed()) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        udp.receive(p);
      } catch (IOException e) {
        return;
      }
      Message q;
      try {
        q = new Message(Arrays.copyOf(p.getData(), p.getLength()));
      } catch (IOException e) {
        continue;
      }
      udpQueries.incrementAndGet();
      seen.add(new Seen(q.getHeader().getID(), p.getPort()));
      List<Datagram> replies;
      try {
        replies = udpHandler.apply(q);
      } catch (RuntimeException e) {
        continue;
      }
      if (replies == null) {
        continue;
      }
      for (Datagram d : replies) {
        try {
          (d.fromOtherPort() ? other : udp)
              .send(new DatagramPacket(d.bytes(), d.bytes().length, p.getSocketAddress()));
        } catch (IOException e) {
          // the client went away: nothing to do
        }
      }
    }
  }

  private void serveTcp() {
    while (!tcp.isClosed()) {
      Socket s;
      try {
        s = tcp.accept();
      } catch (IOException e) {
        return;
      }
      tcpWorkers.execute(() -> serveTcpConnection(s));
    }
  }

  private void serveTcpConnection(Socket s) {
    try (s) {
      s.setSoTimeout(10_000);
      DataInputStream in = new DataInputStream(s.getInputStream());
      int length = in.readUnsignedShort();
      byte[] wire = new byte[length];
      in.readFully(wire);
      tcpQueries.incrementAndGet();
      byte[] reply = tcpHandler.apply(new Message(wire));
      if (reply == null) {
        return;
      }
      OutputStream out = s.getOutputStream();
      out.write(new byte[] {(byte) (reply.length >>> 8), (byte) reply.length});
      out.write(reply);
      out.flush();
      // Let the client close first, so it reads the answer before the FIN.
      s.getInputStream().read();
    } catch (EOFException | SocketException e) {
      // client gone
    } catch (IOException | RuntimeException e) {
      // a test server: drop the connection
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void stop() throws InterruptedException {
    udp.close();
    other.close();
    try {
      tcp.close();
    } catch (IOException e) {
      // closing anyway
    }
    tcpWorkers.shutdownNow();
    udpThread.join(5000);
    tcpThread.join(5000);
    tcpWorkers.awaitTermination(5, TimeUnit.SECONDS);
  }

  // ------------------------------------------------------------------ building answers and faults

  /** A response to {@code query}: same ID and question, QR and AA set, the given RCODE. */
  public static Message response(Message query, int rcode, Record... answers) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.AA);
    m.getHeader().setRcode(rcode);
    m.addRecord(query.getQuestion(), Section.QUESTION);
    for (Record r : answers) {
      m.addRecord(r, Section.ANSWER);
    }
    return m;
  }

  /** The wire form of {@link #response}. */
  public static byte[] reply(Message query, int rcode, Record... answers) {
    return response(query, rcode, answers).toWire();
  }

  /** {@code wire} with another message ID (the two octets of the header). */
  public static byte[] withOtherId(byte[] wire) {
    byte[] b = wire.clone();
    int id = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
    int other = (id + 1 + new Random().nextInt(0xFFFE)) & 0xFFFF;
    b[0] = (byte) (other >>> 8);
    b[1] = (byte) other;
    return b;
  }

  /** {@code wire} with the QR bit cleared: it reads as a query, not a response. */
  public static byte[] withQrClear(byte[] wire) {
    byte[] b = wire.clone();
    b[2] &= 0x7F;
    return b;
  }

  /** {@code wire} with the TC bit set and every section after the question removed. */
  public static byte[] truncated(byte[] wire) {
    try {
      Message m = new Message(wire);
      Message t = new Message(m.getHeader().getID());
      Header h = t.getHeader();
      h.setFlag(Flags.QR);
      h.setFlag(Flags.TC);
      if (m.getHeader().getFlag(Flags.AA)) {
        h.setFlag(Flags.AA);
      }
      h.setRcode(m.getHeader().getRcode());
      t.addRecord(m.getQuestion(), Section.QUESTION);
      return t.toWire();
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** {@code wire} with another opcode (for example {@link Opcode#NOTIFY}). */
  public static byte[] withOpcode(byte[] wire, int opcode) {
    byte[] b = wire.clone();
    b[2] = (byte) ((b[2] & 0x87) | ((opcode & 0xF) << 3));
    return b;
  }

  /**
   * A response with {@code query}'s ID whose question names {@code otherName} instead, carrying
   * {@code answers} (which may well be records for the name actually asked).
   */
  public static byte[] forOtherQuestion(Message query, Name otherName, Record... answers) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.AA);
    m.addRecord(
        Record.newRecord(otherName, query.getQuestion().getType(), DClass.IN), Section.QUESTION);
    for (Record r : answers) {
      m.addRecord(r, Section.ANSWER);
    }
    return m.toWire();
  }

  /** Bytes that start with {@code query}'s ID and then make no sense as a DNS message. */
  public static byte[] garbage(Message query, long seed) {
    Random r = new Random(seed);
    byte[] b = new byte[40 + r.nextInt(200)];
    r.nextBytes(b);
    int id = query.getHeader().getID();
    b[0] = (byte) (id >>> 8);
    b[1] = (byte) id;
    b[2] = (byte) 0x84; // QR, AA: passes a glance at the header
    b[3] = 0;
    b[4] = 0;
    b[5] = 1; // one question ...
    b[6] = (byte) 0xFF; // ... and 65,000 answers that are not there
    b[7] = (byte) 0xFF;
    return b;
  }

  /** A reply to {@code query} with the given RCODE and nothing else. */
  public static byte[] rcode(Message query, int rcode) {
    return reply(query, rcode);
  }

  /** NOERROR with no records, for handlers that need a harmless default. */
  public static byte[] noData(Message query) {
    return reply(query, Rcode.NOERROR);
  }
}
