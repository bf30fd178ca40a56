// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.milter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client side of the control socket, for {@code dmarc milter status}.
 *
 * @since 0.1.0
 */
public final class MilterControl {
  private MilterControl() {}

  /** Longest answer read. */
  static final int MAX_ANSWER = 1 << 20;

  /**
   * Sends {@code command} ({@code status} or {@code health}) and returns the answer.
   *
   * @param socket the control socket
   * @param command the command
   * @param timeout the longest the whole exchange may take
   * @return the answer, one {@code name value} line per item
   * @throws IOException if the socket cannot be reached or the answer does not come in time
   */
  public static String query(SocketSpec socket, String command, Duration timeout)
      throws IOException {
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(timeout, "timeout");
    SocketChannel ch =
        socket.unixPath() != null
            ? SocketChannel.open(StandardProtocolFamily.UNIX)
            : SocketChannel.open();
    CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .execute(
            () -> {
              try {
                ch.close();
              } catch (IOException e) {
                // timed out: the read below fails
              }
            });
    try (ch) {
      ch.connect(socket.address());
      ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(4096);
      while (out.size() < MAX_ANSWER && ch.read(buf) >= 0) {
        buf.flip();
        out.write(buf.array(), 0, buf.limit());
        buf.clear();
      }
      return out.toString(StandardCharsets.US_ASCII);
    }
  }
}
