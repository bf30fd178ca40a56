// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.milter;

import io.github.dmarcj.dns.IpLiteral;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where a socket listens, written as libmilter and Postfix write it: {@code inet:PORT@HOST}, {@code
 * inet:HOST:PORT}, {@code inet:PORT} (every interface), {@code inet6:PORT@HOST}, or {@code
 * unix:/path} and {@code local:/path} for a Unix domain socket. A host is an IP address or {@code
 * localhost}; no name is looked up.
 *
 * @param address the socket address
 * @since 0.1.0
 */
public record SocketSpec(SocketAddress address) {

  /**
   * A socket address.
   *
   * @param address an {@link InetSocketAddress} or a {@link UnixDomainSocketAddress}
   */
  public SocketSpec {
    Objects.requireNonNull(address, "address");
    if (!(address instanceof InetSocketAddress) && !(address instanceof UnixDomainSocketAddress)) {
      throw new IllegalArgumentException("not a TCP or Unix domain socket address: " + address);
    }
  }

  /**
   * {@return the socket {@code text} names, or empty if it is not one of the forms above}
   *
   * @param text the socket as written in the configuration
   */
  public static Optional<SocketSpec> parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.strip();
    int colon = s.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    String kind = s.substring(0, colon).toLowerCase(Locale.ROOT);
    String rest = s.substring(colon + 1);
    switch (kind) {
      case "unix":
      case "local":
        if (rest.isEmpty() || rest.indexOf('\0') >= 0) {
          return Optional.empty();
        }
        return Optional.of(new SocketSpec(UnixDomainSocketAddress.of(Path.of(rest))));
      case "inet":
      case "inet6":
        return inet(rest).map(SocketSpec::new);
      default:
        return Optional.empty();
    }
  }

  private static Optional<InetSocketAddress> inet(String rest) {
    String host;
    String port;
    int at = rest.indexOf('@');
    if (at >= 0) {
      port = rest.substring(0, at);
      host = rest.substring(at + 1);
    } else {
      int last = rest.lastIndexOf(':');
      if (last < 0) {
        port = rest;
        host = "";
      } else {
        host = rest.substring(0, last);
        port = rest.substring(last + 1);
      }
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (p < 0 || p > 65535) {
      return Optional.empty();
    }
    if (host.isEmpty()) {
      return Optional.of(new InetSocketAddress(p));
    }
    InetAddress ip =
        host.equalsIgnoreCase("localhost")
            ? InetAddress.getLoopbackAddress()
            : IpLiteral.parse(host).orElse(null);
    return ip == null ? Optional.empty() : Optional.of(new InetSocketAddress(ip, p));
  }

  /** {@return the Unix domain socket's path, or null for a TCP socket} */
  @Nullable Path unixPath() {
    return address instanceof UnixDomainSocketAddress
        ? ((UnixDomainSocketAddress) address).getPath()
        : null;
  }

  /** {@return the socket in the {@code inet:PORT@HOST} / {@code unix:PATH} form} */
  @Override
  public String toString() {
    if (address instanceof UnixDomainSocketAddress) {
      return "unix:" + ((UnixDomainSocketAddress) address).getPath();
    }
    InetSocketAddress a = (InetSocketAddress) address;
    InetAddress ip = a.getAddress();
    String host = ip == null ? a.getHostString() : ip.getHostAddress();
    return (ip instanceof java.net.Inet6Address ? "inet6:" : "inet:") + a.getPort() + "@" + host;
  }
}
