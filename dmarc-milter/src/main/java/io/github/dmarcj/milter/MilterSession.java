// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.milter;

import static io.github.dmarcj.milter.MilterProtocol.*;

import io.github.dmarcj.authres.AuthProperty;
import io.github.dmarcj.authres.AuthenticationResults;
import io.github.dmarcj.authres.MethodResult;
import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dns.IpLiteral;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.verify.VerificationRequest;
import io.github.dmarcj.verify.VerificationResult;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One MTA connection: reads commands, answers them, and runs one {@link MessageCheck} per message.
 * A packet the protocol does not allow ends this connection only.
 *
 * <p>(Over 500 lines on purpose: one method per protocol command, each small, plus the end of
 * message where the verdict becomes header changes and a reply; they share the connection state.)
 */
final class MilterSession implements Runnable {
  private static final System.Logger LOG = System.getLogger("io.github.dmarcj.milter");

  /** Longest packet accepted: a body chunk is at most 64 KiB in libmilter and Postfix. */
  static final int MAX_PACKET = 1024 * 1024;

  private static final byte[] EMPTY = new byte[0];

  private final MilterServer.Shared shared;
  private final SocketChannel channel;
  private final Object lock = new Object();

  // Negotiated in OPTNEG.
  private int actions;
  private boolean leadingSpace;

  /** The no-reply steps agreed in OPTNEG ({@link MilterProtocol#P_NO_REPLY}). */
  private int noReply;

  // The SMTP connection.
  private @Nullable InetAddress clientIp;
  private String helo = "";
  private boolean skipConnection;
  private final Map<Character, Map<String, String>> macros = new HashMap<>();

  // The message (guarded by lock where a stop may look at it).
  private @Nullable MessageCheck message;
  private boolean skipMessage;
  private String mailFrom = "";
  private @Nullable String envelopeTo;

  MilterSession(MilterServer.Shared shared, SocketChannel channel) {
    this.shared = shared;
    this.channel = channel;
  }

  @Override
  public void run() {
    MilterStats stats = shared.stats;
    stats.connections.increment();
    stats.openConnections.incrementAndGet();
    try (channel) {
      DataInputStream in =
          new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 12);
      while (true) {
        Optional<MilterPacket> p = MilterPacket.read(in, MAX_PACKET);
        if (p.isEmpty() || !handle(p.get(), out)) {
          break;
        }
        out.flush();
        if (shared.stopping() && idle()) {
          break;
        }
      }
    } catch (MilterPacket.MalformedException e) {
      stats.droppedConnections.increment();
      LOG.log(System.Logger.Level.WARNING, "dropping MTA connection: " + e.getMessage());
    } catch (IOException e) {
      if (!shared.stopping()) {
        LOG.log(System.Logger.Level.DEBUG, "MTA connection ended: " + e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      stats.droppedConnections.increment();
      LOG.log(System.Logger.Level.ERROR, "MTA connection failed", e);
    } finally {
      endMessage(true);
      stats.openConnections.decrementAndGet();
      shared.ended(this);
    }
  }

  /** {@return whether no message is in progress} */
  boolean idle() {
    synchronized (lock) {
      return message == null;
    }
  }

  /** Closes the connection if no message is in progress (a stop in progress). */
  void closeIfIdle() {
    synchronized (lock) {
      if (message == null) {
        closeNow();
      }
    }
  }

  /** Closes the connection whatever it is doing. */
  void closeNow() {
    try {
      channel.close();
    } catch (IOException e) {
      // closing: nothing left to do
    }
  }

  /** Handles one packet; returns false when the connection is to end. */
  private boolean handle(MilterPacket p, OutputStream out)
      throws IOException, InterruptedException {
    byte[] d = p.data();
    switch (p.code()) {
      case C_OPTNEG:
        optneg(d, out);
        return true;
      case C_MACRO:
        macro(d);
        return true;
      case C_CONNECT:
        connect(d, out);
        return true;
      case C_HELO:
        List<String> h = MilterPacket.strings(d, 0);
        helo = h.isEmpty() ? "" : h.get(0);
        reply(out, skipConnection ? R_ACCEPT : R_CONTINUE);
        return true;
      case C_MAIL:
        mail(d, out);
        return true;
      case C_RCPT:
        rcpt(d, out);
        return true;
      case C_DATA:
        replyUnless(P_NR_DATA, out);
        return true;
      case C_UNKNOWN:
        replyUnless(P_NR_UNKN, out);
        return true;
      case C_HEADER:
        header(d, out);
        return true;
      case C_EOH:
        if (message != null) {
          ensureStarted();
          message.endOfHeader(deadline());
        }
        replyUnless(P_NR_EOH, out);
        return true;
      case C_BODY:
        if (message != null) {
          ensureStarted();
          message.body(d, deadline());
        }
        replyUnless(P_NR_BODY, out);
        return true;
      case C_BODYEOB:
        endOfMessage(d, out);
        return true;
      case C_ABORT:
        if (message != null) {
          shared.stats.aborted.increment();
        }
        endMessage(true);
        return true;
      case C_QUIT_NC:
        endMessage(true);
        clientIp = null;
        helo = "";
        skipConnection = false;
        macros.clear();
        return true;
      case C_QUIT:
        return false;
      default:
        throw new MilterPacket.MalformedException(
            "unknown command 0x" + Integer.toHexString(p.code() & 0xff));
    }
  }

  private long deadline() {
    return System.nanoTime() + shared.config.messageTimeout().toNanos();
  }

  private void optneg(byte[] d, OutputStream out) throws IOException {
    if (d.length < 12) {
      throw new MilterPacket.MalformedException("option negotiation shorter than 12 bytes");
    }
    int version = MilterPacket.int32(d, 0);
    if (version < MIN_VERSION) {
      throw new MilterPacket.MalformedException("milter protocol version " + version);
    }
    actions = MilterPacket.int32(d, 4) & (F_ADDHDRS | F_CHGHDRS | F_QUARANTINE);
    int protocol = MilterPacket.int32(d, 8) & (P_NOUNKNOWN | P_NODATA | P_HDR_LEADSPC | P_NO_REPLY);
    leadingSpace = (protocol & P_HDR_LEADSPC) != 0;
    noReply = protocol & P_NO_REPLY;
    byte[] r = new byte[12];
    MilterPacket.putInt32(r, 0, Math.min(version, VERSION));
    MilterPacket.putInt32(r, 4, actions);
    MilterPacket.putInt32(r, 8, protocol);
    MilterPacket.write(out, R_OPTNEG, r);
  }

  private void macro(byte[] d) throws IOException {
    if (d.length < 1) {
      throw new MilterPacket.MalformedException("macro packet without a command");
    }
    List<String> s = MilterPacket.strings(d, 1);
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i + 1 < s.size(); i += 2) {
      String name = s.get(i);
      if (name.startsWith("{") && name.endsWith("}") && name.length() > 2) {
        name = name.substring(1, name.length() - 1);
      }
      m.put(name, s.get(i + 1));
    }
    macros.put((char) d[0], m);
  }

  private @Nullable String macroValue(String name) {
    for (Map<String, String> m : macros.values()) {
      String v = m.get(name);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private void connect(byte[] d, OutputStream out) throws IOException {
    int nul = 0;
    while (nul < d.length && d[nul] != 0) {
      nul++;
    }
    int pos = nul + 1;
    if (pos >= d.length) {
      throw new MilterPacket.MalformedException("connect packet without an address family");
    }
    byte family = d[pos++];
    clientIp = null;
    skipConnection = false;
    if (family == FAMILY_INET || family == FAMILY_INET6) {
      if (pos + 2 > d.length) {
        throw new MilterPacket.MalformedException("connect packet without a port");
      }
      List<String> addr = MilterPacket.strings(d, pos + 2);
      if (addr.size() != 1) {
        throw new MilterPacket.MalformedException("connect packet without an address");
      }
      String a = addr.get(0);
      if (a.regionMatches(true, 0, "IPv6:", 0, 5)) {
        a = a.substring(5);
      }
      if (a.startsWith("[") && a.endsWith("]")) {
        a = a.substring(1, a.length() - 1);
      }
      clientIp = IpLiteral.parse(a).orElse(null);
    } else if (family != FAMILY_UNKNOWN && family != FAMILY_UNIX) {
      throw new MilterPacket.MalformedException(
          "unknown address family 0x" + Integer.toHexString(family & 0xff));
    }
    InetAddress ip = clientIp;
    if (ip == null) {
      // A local submission (sendmail command, Unix socket) has no address to check SPF with.
      skipConnection = true;
      shared.stats.skippedHost.increment();
    } else {
      for (Cidr c : shared.config.ignoreHosts()) {
        if (c.contains(ip)) {
          skipConnection = true;
          shared.stats.skippedHost.increment();
          break;
        }
      }
    }
    reply(out, skipConnection ? R_ACCEPT : R_CONTINUE);
  }

  private void mail(byte[] d, OutputStream out) throws IOException {
    endMessage(true);
    List<String> args = MilterPacket.strings(d, 0);
    String from = args.isEmpty() ? "" : args.get(0).strip();
    if (from.startsWith("<") && from.endsWith(">") && from.length() >= 2) {
      from = from.substring(1, from.length() - 1);
    }
    mailFrom = from;
    envelopeTo = null;
    String auth = macroValue("auth_authen");
    boolean authenticated = auth != null && !auth.isEmpty();
    synchronized (lock) {
      skipMessage =
          skipConnection
              || clientIp == null
              || (authenticated && shared.config.ignoreAuthenticatedClients());
      if (!skipMessage) {
        message = new MessageCheck(shared.guard);
      }
    }
    if (skipMessage) {
      if (!skipConnection && authenticated) {
        shared.stats.skippedAuthenticated.increment();
      }
      reply(out, R_ACCEPT);
      return;
    }
    shared.stats.messages.increment();
    shared.stats.inFlight.incrementAndGet();
    reply(out, R_CONTINUE);
  }

  private void rcpt(byte[] d, OutputStream out) throws IOException {
    List<String> args = MilterPacket.strings(d, 0);
    if (envelopeTo == null && !args.isEmpty()) {
      String to = args.get(0).strip();
      int at = to.lastIndexOf('@');
      if (at >= 0) {
        String domain = to.substring(at + 1);
        if (domain.endsWith(">")) {
          domain = domain.substring(0, domain.length() - 1);
        }
        envelopeTo = DomainName.parse(domain).map(DomainName::name).orElse(null);
      }
    }
    reply(out, R_CONTINUE);
  }

  private void header(byte[] d, OutputStream out) throws IOException, InterruptedException {
    List<String> s = MilterPacket.strings(d, 0);
    if (s.size() != 2) {
      throw new MilterPacket.MalformedException(
          "header packet with " + s.size() + " strings, expected name and value");
    }
    if (message != null) {
      ensureStarted();
      message.header(s.get(0), s.get(1), leadingSpace, deadline());
    }
    replyUnless(P_NR_HDR, out);
  }

  /** Answers {@code continue} unless the MTA agreed not to wait for an answer to this step. */
  private void replyUnless(int noReplyFlag, OutputStream out) throws IOException {
    if ((noReply & noReplyFlag) == 0) {
      reply(out, R_CONTINUE);
    }
  }

  private void ensureStarted() {
    MessageCheck m = message;
    InetAddress ip = clientIp;
    if (m == null || m.started() || ip == null) {
      return;
    }
    VerificationRequest request = VerificationRequest.of(SmtpEnvelope.of(ip, helo, mailFrom));
    if (envelopeTo != null) {
      request = request.withEnvelopeTo(envelopeTo);
    }
    m.start(shared.authenticator, shared.verifyExecutor, request);
  }

  private void endOfMessage(byte[] d, OutputStream out) throws IOException, InterruptedException {
    MessageCheck m = message;
    if (m == null) {
      reply(out, skipMessage || skipConnection ? R_ACCEPT : R_CONTINUE);
      endMessage(false);
      return;
    }
    ensureStarted();
    long deadline = deadline();
    if (d.length > 0) {
      m.body(d, deadline);
    }
    VerificationResult r = null;
    String problem = null;
    try {
      r = m.finish(deadline).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      problem = "timeout";
    } catch (ExecutionException e) {
      problem = "internal-error";
      LOG.log(System.Logger.Level.WARNING, "verification failed", e.getCause());
    }
    String queueId = Optional.ofNullable(macroValue("i")).orElse("-");
    for (MessageCheck.Removal rm : m.removals()) {
      if ((actions & F_CHGHDRS) != 0) {
        byte[] name = MilterPacket.cstring(rm.name());
        byte[] data = new byte[4 + name.length + 1];
        MilterPacket.putInt32(data, 0, rm.index());
        System.arraycopy(name, 0, data, 4, name.length);
        MilterPacket.write(out, R_CHGHEADER, data);
        shared.stats.forgedRemoved.increment();
      }
    }
    if (r == null) {
      fallback(out, queueId, problem == null ? "internal-error" : problem);
    } else {
      verdict(out, queueId, r);
    }
    endMessage(false);
  }

  private void fallback(OutputStream out, String queueId, String reason) throws IOException {
    shared.stats.fallbacks.increment();
    shared.stats.result("temperror");
    AuthenticationResults ar =
        new AuthenticationResults(
            shared.authenticator.authservId(),
            List.of(
                MethodResult.of("dmarc", "temperror", List.<AuthProperty>of()).withReason(reason)));
    boolean tempfail = shared.config.fallbackAction() == MilterConfig.FallbackAction.TEMPFAIL;
    LOG.log(
        System.Logger.Level.WARNING,
        queueId
            + ": no verdict ("
            + reason
            + ") within "
            + shared.config.messageTimeout().toMillis()
            + " ms; "
            + (tempfail ? "tempfail" : "accepted with dmarc=temperror"));
    if (tempfail) {
      shared.stats.action("tempfail");
      MilterPacket.write(
          out,
          R_REPLYCODE,
          MilterPacket.cstring("451 4.7.1 DMARC check not finished, try again later"));
      return;
    }
    insertAuthResults(out, ar);
    shared.stats.action("accept");
    MilterPacket.write(out, R_ACCEPT, EMPTY);
  }

  private void verdict(OutputStream out, String queueId, VerificationResult r) throws IOException {
    DmarcPolicy disposition = r.disposition();
    shared.stats.result(r.dmarc().result().keyword());
    String domain = r.dmarc().fromDomain().map(DomainName::name).orElse("the From domain");
    MilterConfig c = shared.config;
    String action;
    if (disposition == DmarcPolicy.REJECT && c.rejectFailures()) {
      action = "reject";
      String text = c.rejectText().replace("{domain}", domain);
      MilterPacket.write(out, R_REPLYCODE, MilterPacket.cstring("550 5.7.1 " + text));
    } else {
      insertAuthResults(out, r.authenticationResults());
      action = "accept";
      if (disposition == DmarcPolicy.QUARANTINE) {
        if (c.quarantineAction() == MilterConfig.QuarantineAction.HOLD
            && (actions & F_QUARANTINE) != 0) {
          action = "quarantine";
          MilterPacket.write(
              out,
              R_QUARANTINE,
              MilterPacket.cstring("DMARC policy of " + domain + ": quarantine"));
        } else if (c.quarantineAction() != MilterConfig.QuarantineAction.NONE
            && (actions & F_ADDHDRS) != 0) {
          action = "quarantine-header";
          MilterPacket.write(
              out,
              R_ADDHEADER,
              concat(
                  MilterPacket.cstring(c.quarantineHeader()),
                  MilterPacket.cstring(
                      (leadingSpace ? " " : "") + "yes (DMARC policy of " + domain + ")")));
        }
      }
      MilterPacket.write(out, R_ACCEPT, EMPTY);
    }
    shared.stats.action(action);
    LOG.log(
        System.Logger.Level.INFO,
        queueId
            + ": dmarc="
            + r.dmarc().result().keyword()
            + " from="
            + domain
            + " disposition="
            + disposition.keyword()
            + " action="
            + action);
  }

  /** Inserts our Authentication-Results field at the top of the header. */
  private void insertAuthResults(OutputStream out, AuthenticationResults ar) throws IOException {
    if ((actions & F_ADDHDRS) == 0) {
      return;
    }
    String field = ar.toHeaderField();
    String value =
        field
            .substring(AuthenticationResults.FIELD_NAME.length() + 1, field.length() - 2)
            .replace("\r\n", "\n");
    if (!leadingSpace && value.startsWith(" ")) {
      value = value.substring(1);
    }
    byte[] name = MilterPacket.cstring(AuthenticationResults.FIELD_NAME);
    byte[] v = MilterPacket.cstring(value);
    byte[] data = new byte[4];
    MilterPacket.write(out, R_INSHEADER, concat(data, concat(name, v)));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private void endMessage(boolean abort) {
    synchronized (lock) {
      MessageCheck m = message;
      if (m != null) {
        if (abort) {
          m.abort();
        }
        shared.stats.inFlight.decrementAndGet();
      }
      message = null;
    }
    if (abort) {
      skipMessage = false;
    }
  }

  private static void reply(OutputStream out, byte code) throws IOException {
    MilterPacket.write(out, code, EMPTY);
  }
}
