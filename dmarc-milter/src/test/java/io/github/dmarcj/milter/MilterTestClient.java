// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.milter;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The MTA side of the mail filter protocol, as Postfix speaks it, for tests: it sends commands and
 * reads replies, and can also send raw bytes to test what a broken MTA does.
 */
public final class MilterTestClient implements AutoCloseable {
  /** Every action and protocol flag Postfix 3.7 offers. */
  static final int ALL_ACTIONS = 0x1ff;

  static final int ALL_PROTOCOL = 0x1fffff;

  /** One reply packet. */
  public record Reply(char code, byte[] data) {
    public List<String> strings(int offset) {
      List<String> out = new ArrayList<>();
      int start = offset;
      for (int i = offset; i < data.length; i++) {
        if (data[i] == 0) {
          out.add(new String(data, start, i - start, StandardCharsets.ISO_8859_1));
          start = i + 1;
        }
      }
      return out;
    }

    public int int32(int offset) {
      return MilterPacket.int32(data, offset);
    }

    @Override
    public String toString() {
      return code + ":" + strings(code == 'i' || code == 'm' ? 4 : 0);
    }
  }

  private final SocketChannel channel;
  private final DataInputStream in;
  private final OutputStream out;

  public MilterTestClient(SocketAddress address) throws IOException {
    channel =
        address instanceof UnixDomainSocketAddress
            ? SocketChannel.open(StandardProtocolFamily.UNIX)
            : SocketChannel.open();
    channel.connect(address);
    InputStream raw = Channels.newInputStream(channel);
    in = new DataInputStream(raw);
    out = Channels.newOutputStream(channel);
    // No test waits more than 20 s for the milter: it closes the connection instead.
    CompletableFuture.delayedExecutor(20, TimeUnit.SECONDS).execute(this::close);
  }

  void send(char code, byte[] data) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    MilterPacket.write(b, (byte) code, data);
    out.write(b.toByteArray());
    out.flush();
  }

  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  Reply read() throws IOException {
    int length = in.readInt();
    byte code = in.readByte();
    byte[] data = new byte[length - 1];
    in.readFully(data);
    return new Reply((char) code, data);
  }

  /** {@return whether the milter closed the connection (end of stream before any byte)} */
  boolean closedByMilter() {
    try {
      return in.read() < 0;
    } catch (IOException e) {
      return true;
    }
  }

  static byte[] cstrings(String... strings) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (String s : strings) {
      b.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
      b.write(0);
    }
    return b.toByteArray();
  }

  Reply optneg(int version, int actions, int protocol) throws IOException {
    byte[] d = new byte[12];
    MilterPacket.putInt32(d, 0, version);
    MilterPacket.putInt32(d, 4, actions);
    MilterPacket.putInt32(d, 8, protocol);
    send('O', d);
    Reply r = read();
    if (r.code() == 'O' && r.data().length >= 12) {
      noReply = r.int32(8) & MilterProtocol.P_NO_REPLY;
    }
    return r;
  }

  /** The steps the filter agreed not to answer: an MTA does not wait for them. */
  private int noReply;

  /** What an MTA takes as the answer to a step the filter does not answer. */
  private static final Reply IMPLICIT_CONTINUE = new Reply('c', new byte[0]);

  private Reply readUnless(int flag) throws IOException {
    return (noReply & flag) != 0 ? IMPLICIT_CONTINUE : read();
  }

  public Reply optneg() throws IOException {
    return optneg(6, ALL_ACTIONS, ALL_PROTOCOL);
  }

  public void macro(char command, String... nameValues) throws IOException {
    byte[] s = cstrings(nameValues);
    byte[] d = new byte[s.length + 1];
    d[0] = (byte) command;
    System.arraycopy(s, 0, d, 1, s.length);
    send('D', d);
  }

  public Reply connect(String hostname, String ip) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(cstrings(hostname));
    b.write(ip.contains(":") ? '6' : '4');
    b.write(0x30);
    b.write(0x39); // port 12345
    b.writeBytes(cstrings(ip));
    send('C', b.toByteArray());
    return read();
  }

  public Reply helo(String name) throws IOException {
    send('H', cstrings(name));
    return read();
  }

  public Reply mail(String address) throws IOException {
    send('M', cstrings("<" + address + ">"));
    return read();
  }

  public Reply rcpt(String address) throws IOException {
    send('R', cstrings("<" + address + ">"));
    return read();
  }

  public Reply data() throws IOException {
    send('T', new byte[0]);
    return readUnless(MilterProtocol.P_NR_DATA);
  }

  Reply header(String name, String value) throws IOException {
    send('L', cstrings(name, value));
    return readUnless(MilterProtocol.P_NR_HDR);
  }

  Reply eoh() throws IOException {
    send('N', new byte[0]);
    return readUnless(MilterProtocol.P_NR_EOH);
  }

  Reply body(byte[] chunk) throws IOException {
    send('B', chunk);
    return readUnless(MilterProtocol.P_NR_BODY);
  }

  /** Sends end of body and returns every reply up to and including the final one. */
  List<Reply> eob() throws IOException {
    send('E', new byte[0]);
    List<Reply> replies = new ArrayList<>();
    while (true) {
      Reply r = read();
      replies.add(r);
      if ("acrtyd".indexOf(r.code()) >= 0) {
        return replies;
      }
    }
  }

  void abort() throws IOException {
    send('A', new byte[0]);
  }

  void quit() throws IOException {
    send('Q', new byte[0]);
  }

  /**
   * Sends a stored message as an MTA does: header fields one by one (value with its leading space,
   * folded with LF as Postfix passes them), end of header, the body in CRLF chunks.
   */
  public List<Reply> message(byte[] message, int chunk) throws IOException {
    String text = new String(message, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
    int split = text.indexOf("\n\n");
    String head = split < 0 ? text : text.substring(0, split + 1);
    String body = split < 0 ? "" : text.substring(split + 2);
    List<String> fields = new ArrayList<>();
    for (String line : head.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      if ((line.startsWith(" ") || line.startsWith("\t")) && !fields.isEmpty()) {
        fields.set(fields.size() - 1, fields.get(fields.size() - 1) + "\n" + line);
      } else {
        fields.add(line);
      }
    }
    for (String f : fields) {
      int colon = f.indexOf(':');
      Reply r = header(f.substring(0, colon), f.substring(colon + 1));
      if (r.code() != 'c') {
        throw new IllegalStateException("header answered " + r);
      }
    }
    eoh();
    byte[] b = body.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < b.length; i += chunk) {
      byte[] part = java.util.Arrays.copyOfRange(b, i, Math.min(b.length, i + chunk));
      Reply r = body(part);
      if (r.code() != 'c') {
        throw new IllegalStateException("body answered " + r);
      }
    }
    return eob();
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // closing a test connection
    }
  }
}
