// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.mail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A small SMTP server on loopback that answers as scripted: per command ({@code greeting}, {@code
 * EHLO}, {@code MAIL}, {@code RCPT}, {@code DATA}, {@code .} for the end of the data) a reply line,
 * or {@code DROP} to close the connection there. Records the commands it saw.
 */
public final class ScriptedSmtpServer implements AutoCloseable {
  /** A reply that closes the connection instead. */
  public static final String DROP = "DROP";

  private final ServerSocket server;
  private final Map<String, String> replies = new ConcurrentHashMap<>();

  /** The commands seen, in order ({@code .} for each end of data). */
  public final List<String> commands = new CopyOnWriteArrayList<>();

  /** The message of each DATA, as sent (dot-stuffed, CRLF line endings). */
  public final List<String> messages = new CopyOnWriteArrayList<>();

  private volatile CountDownLatch dataReceived = new CountDownLatch(0);
  private volatile CountDownLatch releaseReply = new CountDownLatch(0);
  private final Thread thread;

  /**
   * Starts the server on a free loopback port.
   *
   * @throws IOException if no port can be bound
   */
  public ScriptedSmtpServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    replies.put("greeting", "220 scripted ESMTP");
    replies.put("EHLO", "250-scripted\r\n250 8BITMIME");
    replies.put("HELO", "250 scripted");
    replies.put("MAIL", "250 2.1.0 ok");
    replies.put("RCPT", "250 2.1.5 ok");
    replies.put("DATA", "354 go ahead");
    replies.put(".", "250 2.0.0 queued as 1");
    replies.put("RSET", "250 ok");
    replies.put("NOOP", "250 ok");
    replies.put("QUIT", "221 bye");
    thread = new Thread(this::serve, "scripted-smtp");
    thread.setDaemon(true);
    thread.start();
  }

  /** {@return the port} */
  public int port() {
    return server.getLocalPort();
  }

  /**
   * Sets the reply to a command.
   *
   * @param command the command, {@code greeting} or {@code .}
   * @param reply the reply line(s), or {@link #DROP}
   * @return this server
   */
  public ScriptedSmtpServer reply(String command, String reply) {
    replies.put(command, reply);
    return this;
  }

  /**
   * Holds the reply to the end of the next DATA: counts {@code received} down once the whole
   * message is in (the relay has it), and replies only when {@code release} opens.
   *
   * @param received counted down when the message is in
   * @param release opened by the test to let the reply go
   */
  public void holdReplyAfterData(CountDownLatch received, CountDownLatch release) {
    this.dataReceived = received;
    this.releaseReply = release;
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        converse(s);
      } catch (IOException e) {
        // the client went away, or the server closed: next connection
      }
    }
  }

  private void converse(Socket s) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
    OutputStream out = s.getOutputStream();
    if (!say(out, replies.get("greeting"))) {
      return;
    }
    String line;
    while ((line = in.readLine()) != null) {
      String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
      verb = verb.contains(":") ? verb.substring(0, verb.indexOf(':')) : verb;
      commands.add(verb);
      String reply = replies.getOrDefault(verb, "502 5.5.2 not implemented");
      if (!say(out, reply)) {
        return;
      }
      if (verb.equals("DATA") && reply.startsWith("354")) {
        StringBuilder msg = new StringBuilder();
        while ((line = in.readLine()) != null && !line.equals(".")) {
          msg.append(line).append("\r\n");
        }
        messages.add(msg.toString());
        commands.add(".");
        dataReceived.countDown();
        try {
          releaseReply.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (!say(out, replies.get("."))) {
          return;
        }
      }
      if (verb.equals("QUIT")) {
        return;
      }
    }
  }

  /** Writes a reply; false when the script says to drop the connection here. */
  private static boolean say(OutputStream out, String reply) throws IOException {
    if (reply.equals(DROP)) {
      return false;
    }
    out.write((reply + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return true;
  }

  @Override
  public void close() throws IOException {
    releaseReply.countDown();
    server.close();
  }
}
