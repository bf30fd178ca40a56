// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.xbill.DNS.Message;

/**
 * A UDP socket on 127.0.0.1 that hands each query to a function and sends back whatever bytes it
 * returns ({@code null}: no reply). For tests of servers that misbehave.
 */
final class FakeUdpDnsServer implements AutoCloseable {
  private final DatagramSocket socket;
  private final Thread thread;
  private final AtomicInteger received = new AtomicInteger();

  FakeUdpDnsServer(Function<Message, byte[]> handler) throws SocketException {
    socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    thread =
        new Thread(
            () -> {
              byte[] buf = new byte[4096];
              while (!socket.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                  socket.receive(p);
                  received.incrementAndGet();
                  byte[] reply =
                      handler.apply(new Message(Arrays.copyOf(p.getData(), p.getLength())));
                  if (reply != null) {
                    socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                  }
                } catch (IOException e) {
                  // closed, or a query that does not parse: ignore
                }
              }
            },
            "fake-dns-" + socket.getLocalPort());
    thread.setDaemon(true);
    thread.start();
  }

  /** A server that never answers. */
  static FakeUdpDnsServer silent() throws SocketException {
    return new FakeUdpDnsServer(q -> null);
  }

  int port() {
    return socket.getLocalPort();
  }

  int received() {
    return received.get();
  }

  @Override
  public void close() {
    socket.close();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
