// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.WireParseException;

/** Conversions between dnsjava records and the types of {@link DnsResolver}. */
final class Wire {
  private Wire() {}

  /**
   * The dnsjava name for a query name, or {@code null} if the name cannot exist. Labels are taken
   * byte for byte (no escape processing), so the name asked is the name sent.
   */
  static @Nullable Name toName(String name) {
    String n = DnsNames.normalizeOrNull(name);
    if (n == null) {
      return null;
    }
    ByteArrayOutputStream wire = new ByteArrayOutputStream(n.length() + 2);
    int start = 0;
    for (int i = 0; i <= n.length(); i++) {
      if (i == n.length() || n.charAt(i) == '.') {
        wire.write(i - start);
        for (int j = start; j < i; j++) {
          wire.write(n.charAt(j));
        }
        start = i + 1;
      }
    }
    wire.write(0);
    try {
      return new Name(new DNSInput(wire.toByteArray()));
    } catch (WireParseException e) {
      return null;
    }
  }

  /**
   * A name as {@link #toName(String)} reads it back: its labels' octets joined by dots, lower case,
   * without the trailing dot; the root is {@code ""}. A name with a label that holds a dot or an
   * octet outside printable ASCII and the space has no such form and comes back in master-file
   * presentation form instead ({@code \.}, {@code \DDD}).
   */
  static String toText(Name name) {
    if (name.labels() <= 1) {
      return "";
    }
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = 0; i < name.labels() - 1; i++) {
      byte[] label = name.getLabel(i);
      if (i > 0) {
        sb.append('.');
      }
      for (int j = 1; j < label.length; j++) {
        int b = label[j] & 0xFF;
        if (b < 0x20 || b > 0x7E || b == '.') {
          return name.toString(true).toLowerCase(Locale.ROOT);
        }
        sb.append((char) (b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b));
      }
    }
    return sb.toString();
  }

  /** The typed value of one record, which must be of {@code type}. */
  // T is the value type of type (see RecordType): the caller's type argument follows from it.
  @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
  static <T> T value(RecordType type, Record r) {
    switch (type) {
      case TXT:
        return (T) txt((TXTRecord) r);
      case A:
        return (T) inet4(r.rdataToWireCanonical());
      case AAAA:
        return (T) inet6(r.rdataToWireCanonical());
      case MX:
        MXRecord mx = (MXRecord) r;
        return (T) new MxRecord(mx.getPriority(), toText(mx.getTarget()));
      case PTR:
        return (T) toText(((PTRRecord) r).getTarget());
      default:
        throw new AssertionError(type);
    }
  }

  /**
   * The strings of one TXT record joined without a separator (RFC 7208 §3.3, RFC 6376 §3.6.2.2),
   * decoded as UTF-8.
   */
  static String txt(TXTRecord r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object s : r.getStringsAsByteArrays()) {
      byte[] b = (byte[]) s;
      out.write(b, 0, b.length);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  static Inet4Address inet4(byte[] b) {
    if (b.length != 4) {
      throw new IllegalArgumentException("A record data must have 4 octets, had " + b.length);
    }
    try {
      return (Inet4Address) InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Inet6Address inet6(byte[] b) {
    if (b.length != 16) {
      throw new IllegalArgumentException("AAAA record data must have 16 octets, had " + b.length);
    }
    try {
      // Inet6Address keeps IPv4-mapped addresses as IPv6, which InetAddress.getByAddress would not.
      return Inet6Address.getByAddress(null, b, -1);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /**
   * The negative-caching TTL an SOA record gives: the smaller of its TTL and MINIMUM (RFC 2308 §5).
   */
  static long negativeTtl(SOARecord soa) {
    return Math.min(soa.getTTL(), soa.getMinimum());
  }

  static long minTtl(List<Record> records) {
    long min = Long.MAX_VALUE;
    for (Record r : records) {
      min = Math.min(min, r.getTTL());
    }
    return min;
  }
}
