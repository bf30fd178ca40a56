// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.bench.corpus;

import io.github.dmarcj.dkim.DkimSigner;
import io.github.dmarcj.dkim.DkimSigningKey;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A reproducible corpus of diverse mail for benchmarks: many sender domains, each with its own SPF
 * record (ip4/ip6, {@code include} of mail providers, {@code mx}, {@code a}, {@code exists} with
 * macros, {@code redirect}, or none), DKIM keys of 1024, 2048 and 3072 bits and Ed25519, DMARC
 * records of every policy (and none), and messages of realistic sizes (most 2-20 KB, some 20-100
 * KB, a few 100 KB-1 MB) with zero to three signatures: sent directly, through a mail provider,
 * through a mailing list that changes them (forwarded, DKIM broken), or spoofed.
 *
 * <p>Everything follows from the seed: the same seed gives the same bytes. The DNS data is one
 * table, served in memory for JMH ({@link #dns()}) and written as a zone file and as JSON for the
 * command line and for mailauth ({@link #write}).
 *
 * <pre>
 * java -cp dmarc-bench/target/benchmarks.jar io.github.dmarcj.bench.corpus.DiverseCorpus DIR [MESSAGES] [SEED]
 * </pre>
 *
 * <p>(Over 500 lines on purpose: one generator whose parts (keys, domains and their records,
 * messages, the files it writes) share the seeded random source and the DNS table, so that one seed
 * gives one corpus.)
 */
public final class DiverseCorpus {
  /** The signing time of every message; verify at {@link #VERIFY_AT}. */
  public static final long SIGNED_AT = 1_795_770_000L;

  /** The time to verify at: an hour after signing. */
  public static final long VERIFY_AT = SIGNED_AT + 3600;

  /** One message with its envelope. */
  public record Case(
      String id,
      String kind,
      String clientIp,
      String helo,
      String mailFrom,
      byte[] message,
      List<String> domains) {
    /** The envelope for the library. */
    public SmtpEnvelope envelope() {
      try {
        return SmtpEnvelope.of(InetAddress.getByName(clientIp), helo, mailFrom);
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final Random rng;

  /** name -> type -> values (TXT values unsplit; MX as "pref host"). */
  private final Map<String, Map<String, List<String>>> records = new LinkedHashMap<>();

  private final List<Case> cases = new ArrayList<>();
  private final Clock clock = Clock.fixed(Instant.ofEpochSecond(SIGNED_AT), ZoneOffset.UTC);

  private final List<DkimSigningKey> rsa1024 = new ArrayList<>();
  private final List<DkimSigningKey> rsa2048 = new ArrayList<>();
  private final List<DkimSigningKey> rsa3072 = new ArrayList<>();
  private final List<DkimSigningKey> ed25519 = new ArrayList<>();

  /** A sender domain with what it publishes. */
  private record Sender(
      String domain, List<String> ips, List<Selector> selectors, int espIndex, boolean hasDmarc) {}

  private record Selector(String name, DkimSigningKey key) {}

  private final List<Sender> senders = new ArrayList<>();
  private final List<Sender> esps = new ArrayList<>();
  private final List<Sender> lists = new ArrayList<>();
  private final List<String> brands = new ArrayList<>();

  private DiverseCorpus(long seed) {
    this.rng = new Random(seed);
  }

  /**
   * Generates a corpus.
   *
   * @param seed every choice follows from it
   * @param senderDomains how many sender domains (mail providers, lists and spoofed brands come on
   *     top)
   * @param messages how many messages
   */
  public static DiverseCorpus generate(long seed, int senderDomains, int messages) {
    DiverseCorpus c = new DiverseCorpus(seed);
    c.keys(seed);
    c.domains(senderDomains);
    for (int i = 0; i < messages; i++) {
      c.message(i);
    }
    return c;
  }

  /** The messages, in order. */
  public List<Case> cases() {
    return cases;
  }

  /** The DNS data, served from memory. */
  public InMemoryDnsResolver dns() {
    InMemoryDnsResolver.Builder b = InMemoryDnsResolver.builder().ttl(3600).negativeTtl(3600);
    for (Map.Entry<String, Map<String, List<String>>> e : records.entrySet()) {
      String name = e.getKey();
      for (Map.Entry<String, List<String>> t : e.getValue().entrySet()) {
        for (String v : t.getValue()) {
          switch (t.getKey()) {
            case "TXT" -> b.txt(name, v);
            case "A" -> b.a(name, v);
            case "AAAA" -> b.aaaa(name, v);
            case "MX" ->
                b.mx(
                    name,
                    Integer.parseInt(v.substring(0, v.indexOf(' '))),
                    v.substring(v.indexOf(' ') + 1));
            default -> throw new IllegalStateException(t.getKey());
          }
        }
      }
    }
    return b.build();
  }

  // ------------------------------------------------------------------ keys

  private void keys(long seed) {
    try {
      SecureRandom sr = SecureRandom.getInstance("SHA1PRNG");
      sr.setSeed(seed);
      for (int[] spec : new int[][] {{1024, 4}, {2048, 8}, {3072, 3}}) {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(spec[0], sr);
        for (int i = 0; i < spec[1]; i++) {
          DkimSigningKey k =
              DkimSigningKey.rsa((RSAPrivateCrtKey) g.generateKeyPair().getPrivate());
          (spec[0] == 1024 ? rsa1024 : spec[0] == 2048 ? rsa2048 : rsa3072).add(k);
        }
      }
      for (int i = 0; i < 8; i++) {
        byte[] s = new byte[32];
        sr.nextBytes(s);
        ed25519.add(DkimSigningKey.ed25519Seed(s));
      }
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A key: RSA-2048 55 %, Ed25519 20 %, RSA-1024 15 %, RSA-3072 10 %. */
  private DkimSigningKey anyKey() {
    int r = rng.nextInt(100);
    List<DkimSigningKey> pool = r < 55 ? rsa2048 : r < 75 ? ed25519 : r < 90 ? rsa1024 : rsa3072;
    return pool.get(rng.nextInt(pool.size()));
  }

  // ------------------------------------------------------------------ DNS

  private void add(String name, String type, String value) {
    records
        .computeIfAbsent(name, n -> new LinkedHashMap<>())
        .computeIfAbsent(type, t -> new ArrayList<>())
        .add(value);
  }

  private static String v4(int a, int b, int c) {
    return "198." + a + "." + b + "." + c;
  }

  private void domains(int n) {
    // Mail providers: their own ranges, keys, and an SPF record to include.
    for (int k = 0; k < 30; k++) {
      String d = "esp" + k + ".example";
      List<String> ips = List.of(v4(18, k, 10), v4(18, k, 11), v4(18, k, 12));
      add(
          "_spf." + d,
          "TXT",
          "v=spf1 ip4:198.18."
              + k
              + ".0/24 ip6:2001:db8:"
              + Integer.toHexString(0x100 + k)
              + "::/48 -all");
      add(d, "TXT", "v=spf1 include:_spf." + d + " -all");
      add("mail." + d, "TXT", "v=spf1 include:_spf." + d + " -all");
      add("mail." + d, "A", ips.get(0));
      Selector s = new Selector("esp" + (2024 + k % 3), anyKey());
      add(s.name() + "._domainkey." + d, "TXT", s.key().publicKeyRecord());
      add("_dmarc." + d, "TXT", "v=DMARC1; p=none; rua=mailto:dmarc@" + d);
      esps.add(new Sender(d, ips, List.of(s), k, true));
    }
    // Mailing lists, which forward and change messages.
    for (int k = 0; k < 20; k++) {
      String d = "list" + k + ".example";
      List<String> ips = List.of(v4(19, k, 20));
      add(d, "TXT", "v=spf1 ip4:" + ips.get(0) + " -all");
      Selector s = new Selector("lists", anyKey());
      add(s.name() + "._domainkey." + d, "TXT", s.key().publicKeyRecord());
      add("_dmarc." + d, "TXT", "v=DMARC1; p=none");
      lists.add(new Sender(d, ips, List.of(s), -1, true));
    }
    // Brands that spoofers claim.
    for (int k = 0; k < 20; k++) {
      String d = "brand" + k + ".example";
      brands.add(d);
      add(d, "TXT", "v=spf1 ip4:198.20." + k + ".0/24 -all");
      add("_dmarc." + d, "TXT", "v=DMARC1; p=reject; sp=reject; rua=mailto:dmarc@" + d);
      add(d, "A", v4(20, k, 1));
    }
    for (int i = 0; i < n; i++) {
      sender(i);
    }
  }

  private void sender(int i) {
    String d = "d" + i + ".example";
    int hi = 21 + (i / 250);
    int mid = i % 250;
    List<String> ips = List.of(v4(hi, mid, 5), v4(hi, mid, 6));
    int esp = rng.nextInt(esps.size());
    String espSpf = "include:_spf." + esps.get(esp).domain();
    int shape = rng.nextInt(100);
    String spf;
    if (shape < 25) {
      spf = "v=spf1 ip4:" + v4(hi, mid, 0) + "/24 -all";
    } else if (shape < 45) {
      spf = "v=spf1 ip4:" + v4(hi, mid, 0) + "/24 " + espSpf + " ~all";
    } else if (shape < 60) {
      spf = "v=spf1 mx a " + espSpf + " -all";
      add(d, "A", ips.get(0));
      add(d, "MX", "10 mx1." + d);
      add(d, "MX", "20 mx2." + d);
      add("mx1." + d, "A", ips.get(0));
      add("mx2." + d, "A", ips.get(1));
    } else if (shape < 70) {
      String other = "include:_spf." + esps.get((esp + 7) % esps.size()).domain();
      spf =
          "v=spf1 ip4:"
              + v4(hi, mid, 0)
              + "/24 ip6:2001:db8:ffff:"
              + Integer.toHexString(i)
              + "::/64 "
              + espSpf
              + " "
              + other
              + " -all";
    } else if (shape < 78) {
      spf = "v=spf1 exists:%{i}._spf." + d + " " + espSpf + " -all";
      for (String ip : ips) {
        add(ip + "._spf." + d, "A", "127.0.0.2");
      }
    } else if (shape < 88) {
      spf = "v=spf1 redirect=_spf." + esps.get(esp).domain();
    } else {
      spf = null; // no SPF record
    }
    if (spf != null) {
      add(d, "TXT", spf);
    }
    if (!records.containsKey(d) || !records.get(d).containsKey("A")) {
      add(d, "A", ips.get(0));
    }
    List<Selector> selectors = new ArrayList<>();
    int nsel = rng.nextInt(100) < 85 ? 1 : 2;
    for (int s = 0; s < nsel; s++) {
      Selector sel = new Selector((s == 0 ? "s" : "k") + (2025 + rng.nextInt(3)), anyKey());
      if (selectors.stream().noneMatch(x -> x.name().equals(sel.name()))) {
        selectors.add(sel);
        add(sel.name() + "._domainkey." + d, "TXT", sel.key().publicKeyRecord());
      }
    }
    int p = rng.nextInt(100);
    boolean dmarc = p < 90;
    if (dmarc) {
      String policy = p < 30 ? "reject" : p < 55 ? "quarantine" : "none";
      StringBuilder r = new StringBuilder("v=DMARC1; p=").append(policy);
      if (rng.nextInt(100) < 20) {
        r.append("; sp=").append(rng.nextBoolean() ? "quarantine" : "none");
      }
      if (rng.nextInt(100) < 10) {
        r.append("; adkim=s");
      }
      if (rng.nextInt(100) < 10) {
        r.append("; aspf=s");
      }
      if (rng.nextInt(100) < 5) {
        r.append("; pct=").append(10 + rng.nextInt(80));
      }
      if (rng.nextInt(100) < 70) {
        r.append("; rua=mailto:dmarc-reports@").append(d);
      }
      if (rng.nextInt(100) < 20) {
        r.append("; ruf=mailto:dmarc-failures@").append(d).append("; fo=1");
      }
      add("_dmarc." + d, "TXT", r.toString());
    }
    senders.add(new Sender(d, ips, selectors, esp, dmarc));
  }

  // ------------------------------------------------------------------ messages

  private static final String[] WORDS =
      ("the of and to in is that for it as was with be by on not he this are or his from at which "
              + "but have an they you were her she there been one all we their has would when if so no will "
              + "invoice meeting report quarter shipment account update please review attached schedule "
              + "project budget order customer delivery confirm regards team thanks monday friday")
          .split(" ");

  /** A body size: most 2-20 KB, 15 % 20-100 KB, 5 % 100 KB-1 MB (log-uniform within each). */
  private int bodySize() {
    int r = rng.nextInt(100);
    double lo;
    double hi;
    if (r < 80) {
      lo = 2_000;
      hi = 20_000;
    } else if (r < 95) {
      lo = 20_000;
      hi = 100_000;
    } else {
      lo = 100_000;
      hi = 1_000_000;
    }
    return (int) Math.exp(Math.log(lo) + rng.nextDouble() * (Math.log(hi) - Math.log(lo)));
  }

  private String text(int size) {
    StringBuilder b = new StringBuilder(size + 100);
    int line = 0;
    while (b.length() < size) {
      String w = WORDS[rng.nextInt(WORDS.length)];
      if (line + w.length() + 1 > 72) {
        b.append("\r\n");
        line = 0;
        if (rng.nextInt(12) == 0) {
          b.append("\r\n");
        }
      }
      if (line > 0) {
        b.append(' ');
        line++;
      }
      b.append(w);
      line += w.length();
    }
    return b.append("\r\n").toString();
  }

  /** A body of about {@code size} bytes: plain text, or text and a base64 attachment when large. */
  private String body(int size, StringBuilder contentType) {
    if (size < 30_000 || rng.nextInt(3) == 0) {
      contentType.append("text/plain; charset=utf-8");
      return text(size);
    }
    String boundary = "=_b" + Long.toHexString(rng.nextLong());
    contentType.append("multipart/mixed; boundary=\"").append(boundary).append('"');
    byte[] blob = new byte[(size - 2_000) * 3 / 4];
    rng.nextBytes(blob);
    String b64 = java.util.Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(blob);
    return "--"
        + boundary
        + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + text(1_500)
        + "--"
        + boundary
        + "\r\nContent-Type: application/pdf; name=\"doc.pdf\"\r\n"
        + "Content-Transfer-Encoding: base64\r\n\r\n"
        + b64
        + "\r\n--"
        + boundary
        + "--\r\n";
  }

  private String header(
      String from, String to, String subject, String contentType, String extra, String relay) {
    StringBuilder h = new StringBuilder(1024);
    int hops = 1 + rng.nextInt(4);
    for (int i = 0; i < hops; i++) {
      h.append("Received: from relay")
          .append(i)
          .append('.')
          .append(relay)
          .append(" (relay")
          .append(i)
          .append('.')
          .append(relay)
          .append(" [")
          .append(v4(50, i, rng.nextInt(250)))
          .append("])\r\n\tby mx")
          .append(i)
          .append(".receiver.example with ESMTPS id ")
          .append(Long.toHexString(rng.nextLong()))
          .append("\r\n\tfor <")
          .append(to)
          .append(">; Tue, 1 Dec 2026 10:0")
          .append(i)
          .append(":00 +0000\r\n");
    }
    h.append("From: ").append(from).append("\r\n");
    h.append("To: ").append(to).append("\r\n");
    h.append("Subject: ").append(subject).append("\r\n");
    h.append("Date: Tue, 1 Dec 2026 10:00:00 +0000\r\n");
    h.append("Message-ID: <")
        .append(Long.toHexString(rng.nextLong()))
        .append('@')
        .append(relay)
        .append(">\r\n");
    h.append("MIME-Version: 1.0\r\n");
    h.append("Content-Type: ").append(contentType).append("\r\n");
    h.append(extra);
    return h.toString();
  }

  private byte[] sign(byte[] message, String domain, Selector s) {
    return DkimSigner.builder(s.key(), domain, s.name()).clock(clock).build().sign(message);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void message(int i) {
    String id = String.format(Locale.ROOT, "m%05d", i);
    Sender s = senders.get(zipf(senders.size()));
    String subject =
        WORDS[rng.nextInt(WORDS.length)] + " " + WORDS[rng.nextInt(WORDS.length)] + " " + i;
    String to = "user" + rng.nextInt(1000) + "@receiver.example";
    StringBuilder ct = new StringBuilder();
    String body = body(bodySize(), ct);
    int kind = rng.nextInt(100);
    boolean sub = rng.nextInt(100) < 15;
    String fromDomain = sub ? "news." + s.domain() : s.domain();
    String from = "\"Sender " + i + "\" <someone" + i + "@" + fromDomain + ">";
    if (kind < 55) {
      // Directly from the sender's own servers, signed by its own key (sometimes twice).
      byte[] m = bytes(header(from, to, subject, ct.toString(), "", s.domain()) + "\r\n" + body);
      for (Selector sel : s.selectors()) {
        if (rng.nextInt(100) < 90) {
          m = sign(m, s.domain(), sel);
        }
      }
      cases.add(
          new Case(
              id,
              "direct",
              s.ips().get(rng.nextInt(s.ips().size())),
              "mail." + s.domain(),
              "bounce@" + fromDomain,
              m,
              List.of(s.domain(), esps.get(s.espIndex()).domain())));
    } else if (kind < 75) {
      // Through a mail provider: the sender's key (aligned) and the provider's.
      Sender e = esps.get(s.espIndex());
      byte[] m = bytes(header(from, to, subject, ct.toString(), "", e.domain()) + "\r\n" + body);
      if (rng.nextInt(100) < 80) {
        m = sign(m, s.domain(), s.selectors().get(0));
      }
      m = sign(m, e.domain(), e.selectors().get(0));
      cases.add(
          new Case(
              id,
              "provider",
              e.ips().get(rng.nextInt(e.ips().size())),
              "mail." + e.domain(),
              "bounces+" + i + "@mail." + e.domain(),
              m,
              List.of(s.domain(), e.domain())));
    } else if (kind < 88) {
      // Through a mailing list that tags the subject and adds a footer: the author's signature
      // breaks, the list signs anew.
      Sender l = lists.get(rng.nextInt(lists.size()));
      byte[] original =
          sign(
              bytes(header(from, to, subject, ct.toString(), "", s.domain()) + "\r\n" + body),
              s.domain(),
              s.selectors().get(0));
      String text = new String(original, StandardCharsets.UTF_8);
      boolean changes = rng.nextInt(100) < 75;
      if (changes) {
        text =
            text.replace("Subject: " + subject, "Subject: [" + l.domain() + "] " + subject)
                + "-- \r\nsent through "
                + l.domain()
                + "\r\n";
      }
      text =
          text.replace(
              "MIME-Version: 1.0\r\n",
              "MIME-Version: 1.0\r\nList-Id: <talk." + l.domain() + ">\r\n");
      byte[] m = sign(bytes(text), l.domain(), l.selectors().get(0));
      cases.add(
          new Case(
              id,
              changes ? "list-changed" : "list",
              l.ips().get(0),
              "mail." + l.domain(),
              "talk-bounces@" + l.domain(),
              m,
              List.of(s.domain(), l.domain(), esps.get(s.espIndex()).domain())));
    } else if (kind < 97) {
      // Spoofed: a brand in From, the spammer's own domain (or nothing) elsewhere.
      String brand = brands.get(rng.nextInt(brands.size()));
      String spoofFrom = "\"" + brand + " security\" <security@" + brand + ">";
      byte[] m =
          bytes(
              header(
                      spoofFrom,
                      to,
                      "verify your account " + i,
                      ct.toString(),
                      "",
                      "spam" + i + ".invalid")
                  + "\r\n"
                  + body);
      if (rng.nextBoolean()) {
        m = sign(m, s.domain(), s.selectors().get(0)); // a real key of a (compromised) sender
      }
      String ip = "203.0.113." + rng.nextInt(250);
      String mailFrom =
          rng.nextBoolean() ? "x" + i + "@spam" + i + ".invalid" : "bounce@" + s.domain();
      cases.add(
          new Case(
              id,
              "spoof",
              ip,
              "spam" + i + ".invalid",
              mailFrom,
              m,
              List.of(brand, s.domain(), esps.get(s.espIndex()).domain())));
    } else {
      // Unsigned, SPF only, or a null sender bounce.
      byte[] m = bytes(header(from, to, subject, ct.toString(), "", s.domain()) + "\r\n" + body);
      boolean bounce = rng.nextBoolean();
      cases.add(
          new Case(
              id,
              bounce ? "bounce" : "unsigned",
              s.ips().get(0),
              "mail." + s.domain(),
              bounce ? "" : "bounce@" + fromDomain,
              m,
              List.of(s.domain(), esps.get(s.espIndex()).domain())));
    }
  }

  /** An index in 0..n-1, Zipf-like: a few senders send much of the mail, most send little. */
  private int zipf(int n) {
    double u = rng.nextDouble();
    return Math.min(n - 1, (int) (Math.pow(n + 1.0, u) - 1));
  }

  // ------------------------------------------------------------------ files

  /**
   * Writes the corpus: {@code corpus.zone} (an RFC 1035 master file for {@code --zone}), {@code
   * dns.json} (the same records for mailauth), {@code requests.jsonl} (one {@code dmarc verify
   * --batch} request per message) and {@code msg/ID.eml}.
   */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("msg"));
    StringBuilder zone = new StringBuilder("$ORIGIN .\n$TTL 3600\n");
    StringBuilder json = new StringBuilder("{");
    boolean firstName = true;
    for (Map.Entry<String, Map<String, List<String>>> e : records.entrySet()) {
      json.append(firstName ? "" : ",").append('\n').append(quote(e.getKey())).append(":{");
      firstName = false;
      boolean firstType = true;
      for (Map.Entry<String, List<String>> t : e.getValue().entrySet()) {
        json.append(firstType ? "" : ",").append(quote(t.getKey())).append(":[");
        firstType = false;
        for (int k = 0; k < t.getValue().size(); k++) {
          String v = t.getValue().get(k);
          zone.append(e.getKey()).append(". IN ").append(t.getKey()).append(' ');
          if (t.getKey().equals("TXT")) {
            List<String> chunks = new ArrayList<>();
            for (int c = 0; c < v.length(); c += 255) {
              chunks.add(v.substring(c, Math.min(v.length(), c + 255)));
            }
            for (String c : chunks) {
              zone.append('"').append(c.replace("\\", "\\\\").replace("\"", "\\\"")).append("\" ");
            }
            json.append(k == 0 ? "" : ",").append('[');
            for (int c = 0; c < chunks.size(); c++) {
              json.append(c == 0 ? "" : ",").append(quote(chunks.get(c)));
            }
            json.append(']');
          } else if (t.getKey().equals("MX")) {
            zone.append(v).append('.');
            int sp = v.indexOf(' ');
            json.append(k == 0 ? "" : ",")
                .append("{\"priority\":")
                .append(v, 0, sp)
                .append(",\"exchange\":")
                .append(quote(v.substring(sp + 1)))
                .append('}');
          } else {
            zone.append(v);
            json.append(k == 0 ? "" : ",").append(quote(v));
          }
          zone.append('\n');
        }
        json.append(']');
      }
      json.append('}');
    }
    json.append("\n}\n");
    Files.writeString(dir.resolve("corpus.zone"), zone);
    Files.writeString(dir.resolve("dns.json"), json);
    StringBuilder req = new StringBuilder();
    for (Case c : cases) {
      Files.write(dir.resolve("msg").resolve(c.id() + ".eml"), c.message());
      req.append("{\"id\":")
          .append(quote(c.id()))
          .append(",\"kind\":")
          .append(quote(c.kind()))
          .append(",\"message\":")
          .append(quote("msg/" + c.id() + ".eml"))
          .append(",\"zone\":[\"corpus.zone\"],\"clientIp\":")
          .append(quote(c.clientIp()))
          .append(",\"helo\":")
          .append(quote(c.helo()))
          .append(",\"mailFrom\":")
          .append(quote(c.mailFrom()))
          .append(",\"now\":")
          .append(VERIFY_AT)
          .append("}\n");
    }
    Files.writeString(dir.resolve("requests.jsonl"), req);
  }

  /**
   * Also writes the DNS data as one zone file per registered domain ({@code zones/D.zone}, with an
   * SOA at the domain) and {@code requests-split.jsonl}, whose requests each name the zone files of
   * the domains they touch: many distinct zone sets, as a test suite with a zone per case has.
   */
  public void writeSplit(Path dir) throws IOException {
    Path zones = Files.createDirectories(dir.resolve("zones"));
    Map<String, StringBuilder> byDomain = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, List<String>>> e : records.entrySet()) {
      String name = e.getKey();
      String[] labels = name.split("\\.");
      String apex = labels[labels.length - 2] + "." + labels[labels.length - 1];
      StringBuilder z =
          byDomain.computeIfAbsent(
              apex,
              a ->
                  new StringBuilder("$ORIGIN ")
                      .append(a)
                      .append(".\n$TTL 3600\n@ IN SOA ns.")
                      .append(a)
                      .append(". hostmaster.")
                      .append(a)
                      .append(". 1 3600 600 86400 3600\n"));
      for (Map.Entry<String, List<String>> t : e.getValue().entrySet()) {
        for (String v : t.getValue()) {
          z.append(name).append(". IN ").append(t.getKey()).append(' ');
          if (t.getKey().equals("TXT")) {
            for (int c = 0; c < v.length(); c += 255) {
              z.append('"')
                  .append(v.substring(c, Math.min(v.length(), c + 255)).replace("\"", "\\\""))
                  .append("\" ");
            }
          } else if (t.getKey().equals("MX")) {
            z.append(v).append('.');
          } else {
            z.append(v);
          }
          z.append('\n');
        }
      }
    }
    for (Map.Entry<String, StringBuilder> e : byDomain.entrySet()) {
      Files.writeString(zones.resolve(e.getKey() + ".zone"), e.getValue());
    }
    StringBuilder req = new StringBuilder();
    for (Case c : cases) {
      req.append("{\"id\":")
          .append(quote(c.id()))
          .append(",\"message\":")
          .append(quote("msg/" + c.id() + ".eml"))
          .append(",\"zone\":[");
      List<String> files = new ArrayList<>();
      for (String d : c.domains()) {
        if (byDomain.containsKey(d) && !files.contains(d)) {
          files.add(d);
        }
      }
      for (int k = 0; k < files.size(); k++) {
        req.append(k == 0 ? "" : ",").append(quote("zones/" + files.get(k) + ".zone"));
      }
      req.append("],\"clientIp\":")
          .append(quote(c.clientIp()))
          .append(",\"helo\":")
          .append(quote(c.helo()))
          .append(",\"mailFrom\":")
          .append(quote(c.mailFrom()))
          .append(",\"now\":")
          .append(VERIFY_AT)
          .append("}\n");
    }
    Files.writeString(dir.resolve("requests-split.jsonl"), req);
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.append('"').toString();
  }

  /** Total bytes of all messages. */
  public long totalBytes() {
    long n = 0;
    for (Case c : cases) {
      n += c.message().length;
    }
    return n;
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/corpus");
    int messages = args.length > 1 ? Integer.parseInt(args[1]) : 4000;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 20261205L;
    DiverseCorpus c = generate(seed, Math.max(100, messages * 3 / 8), messages);
    c.write(dir);
    c.writeSplit(dir);
    System.out.printf(
        "%d messages, %d bytes, %d DNS names -> %s%n",
        c.cases().size(), c.totalBytes(), c.records.size(), dir);
  }
}
