// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.milter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The control socket: a client sends one line, {@code status} or {@code health}, and reads the
 * answer until the server closes the connection. {@code health} answers {@code ok} while the milter
 * serves; {@code status} adds one {@code name value} line per counter.
 */
final class ControlServer {
  private static final System.Logger LOG = System.getLogger("io.github.dmarcj.milter");

  /** A control client gets this long to send its line. */
  static final long READ_TIMEOUT_MILLIS = 2000;

  private final ServerSocketChannel channel;
  private final MilterServer server;

  private ControlServer(ServerSocketChannel channel, MilterServer server) {
    this.channel = channel;
    this.server = server;
  }

  static ControlServer start(ServerSocketChannel channel, MilterServer server) {
    ControlServer c = new ControlServer(channel, server);
    Thread t = new Thread(c::acceptLoop, "dmarc-milter-control");
    t.setDaemon(true);
    t.start();
    return c;
  }

  SocketAddress localAddress() {
    try {
      return channel.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException("control socket closed", e);
    }
  }

  void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // stopping: nothing left to do
    }
  }

  private void acceptLoop() {
    while (true) {
      SocketChannel ch;
      try {
        ch = channel.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "control socket: " + e);
        continue;
      }
      // A client that sends nothing is cut off after READ_TIMEOUT_MILLIS.
      CompletableFuture.delayedExecutor(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
          .execute(() -> closeQuietly(ch));
      try (ch) {
        String command = readLine(ch);
        ch.write(ByteBuffer.wrap(answer(command).getBytes(StandardCharsets.US_ASCII)));
      } catch (IOException e) {
        // the client went away or was too slow: its problem
      }
    }
  }

  private static void closeQuietly(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }

  private static String readLine(SocketChannel ch) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    ByteBuffer one = ByteBuffer.allocate(1);
    while (line.size() < 64) {
      one.clear();
      if (ch.read(one) < 0) {
        break;
      }
      byte b = one.get(0);
      if (b == '\n') {
        break;
      }
      line.write(b);
    }
    return line.toString(StandardCharsets.US_ASCII).strip().toLowerCase(Locale.ROOT);
  }

  private String answer(String command) {
    String state = server.running() ? "ok" : "stopping";
    switch (command) {
      case "health":
        return state + "\n";
      case "status":
        return "state " + state + "\n" + MilterStats.render(server.counters());
      default:
        return "error unknown command (health, status)\n";
    }
  }
}
