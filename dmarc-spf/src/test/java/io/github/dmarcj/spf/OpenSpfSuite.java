// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.dns.DnsNames;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.dns.RecordType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads an openspf YAML test suite (several YAML documents, one per scenario, each with {@code
 * tests} and {@code zonedata}) into scenarios whose zones, served by {@link InMemoryDnsResolver},
 * serve {@code SPF} records as TXT (unless the name has TXT entries of its own, {@code TXT: NONE}
 * meaning "none") and whose {@code TIMEOUT} entries time out every query type that has no record at
 * the name.
 */
final class OpenSpfSuite {
  private OpenSpfSuite() {}

  record Case(
      String name,
      String spec,
      String helo,
      String host,
      String mailFrom,
      List<String> results,
      String explanation) {}

  /**
   * One scenario: its cases, its zone, the names of its {@code TIMEOUT} entries and the record
   * types present at each name ({@code "TYPE name"}, names normalized).
   */
  record Scenario(
      String description,
      List<Case> cases,
      DnsResolver zone,
      Set<String> timeouts,
      Set<String> present) {
    /** True if a query of {@code type} at {@code name} must time out. */
    boolean timesOut(RecordType type, String name) {
      return timeouts.contains(name) && !present.contains(type + " " + name);
    }
  }

  static List<Scenario> load(String resource) {
    List<Scenario> out = new ArrayList<>();
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(10 * 1024 * 1024);
    try (InputStream in = OpenSpfSuite.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      for (Object doc : new Yaml(options).loadAll(in)) {
        if (doc instanceof Map<?, ?> m) {
          out.add(scenario(m));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Scenario scenario(Map<?, ?> doc) {
    String description = String.valueOf(doc.get("description"));
    List<Case> cases = new ArrayList<>();
    Map<String, Map<String, Object>> tests =
        (Map<String, Map<String, Object>>) (Map<?, ?>) doc.get("tests");
    for (Map.Entry<String, Map<String, Object>> e : tests.entrySet()) {
      Map<String, Object> t = e.getValue();
      Object r = t.get("result");
      List<String> results = new ArrayList<>();
      if (r instanceof List<?> l) {
        l.forEach(x -> results.add(String.valueOf(x)));
      } else {
        results.add(String.valueOf(r));
      }
      cases.add(
          new Case(
              e.getKey(),
              String.valueOf(t.get("spec")),
              String.valueOf(t.get("helo")),
              String.valueOf(t.get("host")),
              String.valueOf(t.get("mailfrom")),
              results,
              t.get("explanation") == null ? null : String.valueOf(t.get("explanation"))));
    }
    InMemoryDnsResolver.Builder zone = InMemoryDnsResolver.builder();
    Set<String> timeouts = new HashSet<>();
    Set<String> present = new HashSet<>();
    Map<String, List<Object>> data = (Map<String, List<Object>>) (Map<?, ?>) doc.get("zonedata");
    if (data != null) {
      for (Map.Entry<String, List<Object>> e : data.entrySet()) {
        String name = e.getKey();
        String key = DnsNames.normalizeOrNull(name);
        zone.exists(name);
        List<String> spf = new ArrayList<>();
        boolean hasTxt = false;
        for (Object entry : e.getValue()) {
          if ("TIMEOUT".equals(entry)) {
            timeouts.add(key);
            continue;
          }
          Map<String, Object> rr = new LinkedHashMap<>((Map<String, Object>) entry);
          for (Map.Entry<String, Object> kv : rr.entrySet()) {
            Object v = kv.getValue();
            if (!"SPF".equals(kv.getKey()) && !"NONE".equals(v)) {
              present.add(kv.getKey() + " " + key);
            }
            switch (kv.getKey()) {
              case "SPF":
                spf.add(text(v));
                break;
              case "TXT":
                hasTxt = true;
                if (!"NONE".equals(v)) {
                  zone.txt(name, text(v));
                }
                break;
              case "A":
                zone.a(name, String.valueOf(v));
                break;
              case "AAAA":
                zone.aaaa(name, String.valueOf(v));
                break;
              case "MX":
                List<Object> mx = (List<Object>) v;
                zone.mx(name, ((Number) mx.get(0)).intValue(), String.valueOf(mx.get(1)));
                break;
              case "PTR":
                zone.ptr(name, String.valueOf(v));
                break;
              case "CNAME":
                zone.cname(name, String.valueOf(v));
                break;
              default:
                throw new IllegalStateException("record type " + kv.getKey());
            }
          }
        }
        if (!hasTxt) {
          spf.forEach(s -> zone.txt(name, s));
          if (!spf.isEmpty()) {
            present.add("TXT " + key);
          }
        }
      }
    }
    return new Scenario(description, cases, zone.build(), timeouts, present);
  }

  /** A TXT value: one string, or several character-strings joined without separator. */
  private static String text(Object v) {
    if (v instanceof List<?> parts) {
      StringBuilder sb = new StringBuilder();
      parts.forEach(sb::append);
      return sb.toString();
    }
    return String.valueOf(v);
  }
}
