// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import io.github.dmarcj.dns.ForwardingDnsResolver;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.dns.RecordingDnsResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small zone text for tests, served by {@link InMemoryDnsResolver} and recorded by {@link
 * RecordingDnsResolver}. One line per record: {@code name TYPE data} with TYPE one of TXT (one or
 * more quoted strings, joined), A, AAAA, MX ({@code pref exchange}), PTR; other types only make
 * their name exist. {@code name TEMPFAIL}
 * makes every query for that name fail temporarily. Names are absolute; a trailing dot is
 * optional.
 */
final class TestZone extends ForwardingDnsResolver {

  private TestZone(RecordingDnsResolver delegate) {
    super(delegate);
  }

  static TestZone of(String text) {
    InMemoryDnsResolver.Builder b = InMemoryDnsResolver.builder();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith(";")) {
        continue;
      }
      String[] parts = line.split("\\s+", 3);
      String name = norm(parts[0]);
      String type = parts[1].toUpperCase(Locale.ROOT);
      String data = parts.length > 2 ? parts[2].strip() : "";
      switch (type) {
        case "TEMPFAIL":
          b.tempFail(name);
          break;
        case "TXT":
          b.txt(name, joinQuoted(data));
          break;
        case "A":
          b.a(name, data);
          break;
        case "AAAA":
          b.aaaa(name, data);
          break;
        case "MX":
          String[] p = data.split("\\s+");
          b.mx(name, Integer.parseInt(p[0]), norm(p[1]));
          break;
        case "PTR":
          b.ptr(name, norm(data));
          break;
        default:
          // Other types cannot be asked for; their owner name still exists.
          b.exists(name);
      }
    }
    return new TestZone(new RecordingDnsResolver(b.build()));
  }

  private static String joinQuoted(String data) {
    StringBuilder sb = new StringBuilder();
    boolean in = false;
    for (int i = 0; i < data.length(); i++) {
      char c = data.charAt(i);
      if (c == '"') {
        in = !in;
      } else if (c == '\\' && in && i + 1 < data.length()) {
        sb.append(data.charAt(++i));
      } else if (in) {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String norm(String name) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    return n.toLowerCase(Locale.ROOT);
  }

  /** Every query made, as {@code TYPE name}, in order. */
  List<String> queries() {
    List<String> out = new ArrayList<>();
    for (RecordingDnsResolver.Query q : ((RecordingDnsResolver) delegate()).queries()) {
      out.add(q.type() + " " + norm(q.name()));
    }
    return out;
  }

  /** The queries of one type. */
  List<String> queries(String type) {
    List<String> out = new ArrayList<>();
    for (String q : queries()) {
      if (q.startsWith(type + " ")) {
        out.add(q.substring(type.length() + 1));
      }
    }
    return out;
  }
}
