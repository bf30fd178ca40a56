// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.bench.corpus;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.ZoneFileResolver;
import io.github.dmarcj.message.HeaderField;
import io.github.dmarcj.message.MessageHeaderParser;
import io.github.dmarcj.message.ParsedHeader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.jspecify.annotations.Nullable;

/**
 * The crypto floor of the diverse corpus: per message, one SHA-256 over the whole message for each
 * DKIM-Signature (standing in for its body and header hashes) and that signature's public-key
 * operation with its real key, using the same primitives dmarc-dkim uses (the JDK's SHA-256 and
 * RSA, Bouncy Castle's Ed25519). No DNS, no parsing beyond finding the signatures beforehand, no
 * SPF or DMARC: what any DKIM verifier must spend. Prints process CPU per message, as {@link
 * CorpusCpuPerMessage} does, so the two can be divided.
 *
 * <pre>
 * java -cp dmarc-bench/target/benchmarks.jar io.github.dmarcj.bench.corpus.CorpusFloor DIR [ROUNDS] [WARM]
 * </pre>
 */
public final class CorpusFloor {
  private CorpusFloor() {}

  /** One signature's work: the bytes to hash, the key and the signature value. */
  record Work(
      byte[] message,
      boolean ed25519,
      @Nullable PublicKey rsa,
      Ed25519.@Nullable PublicPoint ed,
      byte[] sig) {}

  static List<List<Work>> prepare(Path dir) throws Exception {
    ZoneFileResolver zone = ZoneFileResolver.builder().addFile(dir.resolve("corpus.zone")).build();
    List<byte[]> messages = new ArrayList<>();
    for (CorpusCpuPerMessage.Request r : CorpusCpuPerMessage.load(dir)) {
      messages.add(r.message());
    }
    return prepare(messages, zone);
  }

  /**
   * Each message's signatures, their keys looked up in {@code dns}.
   *
   * @param messages the messages, in order
   * @param dns where the keys are published
   * @return per message, the work of each of its signatures
   */
  static List<List<Work>> prepare(List<byte[]> messages, DnsResolver dns) throws Exception {
    KeyFactory rsaKeys = KeyFactory.getInstance("RSA");
    List<List<Work>> out = new ArrayList<>();
    for (byte[] message : messages) {
      ParsedHeader h = MessageHeaderParser.create().parse(message);
      List<Work> works = new ArrayList<>();
      for (HeaderField f : h.fields("DKIM-Signature")) {
        String v = f.value().replaceAll("\\s", "");
        String a = tag(v, "a");
        String d = tag(v, "d");
        String s = tag(v, "s");
        byte[] sig = Base64.getDecoder().decode(tag(v, "b"));
        DnsLookup<String> key = dns.txt(s + "._domainkey." + d).toCompletableFuture().join();
        String p = tag(key.recordsOrEmpty().get(0).replaceAll("\\s", ""), "p");
        byte[] der = Base64.getDecoder().decode(p);
        if (a.startsWith("ed25519")) {
          works.add(
              new Work(message, true, null, Ed25519.validatePublicKeyPartialExport(der, 0), sig));
        } else {
          works.add(
              new Work(
                  message, false, rsaKeys.generatePublic(new X509EncodedKeySpec(der)), null, sig));
        }
      }
      out.add(works);
    }
    return out;
  }

  private static String tag(String value, String name) {
    for (String part : value.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).equals(name)) {
        return part.substring(eq + 1);
      }
    }
    throw new IllegalArgumentException("no " + name + "= in " + value);
  }

  static int run(List<List<Work>> corpus) throws Exception {
    int ok = 0;
    for (List<Work> message : corpus) {
      ok += runMessage(message);
    }
    return ok;
  }

  /**
   * The floor of one message: each signature's hash and public-key operation.
   *
   * @param message the work of each of the message's signatures
   * @return how many signatures verified (so the work cannot be optimised away)
   */
  static int runMessage(List<Work> message) throws Exception {
    int ok = 0;
    for (Work w : message) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] hash = md.digest(w.message());
      if (w.ed25519()) {
        ok += Ed25519.verify(w.sig(), 0, w.ed(), hash, 0, hash.length) ? 1 : 0;
      } else {
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initVerify(w.rsa());
        s.update(hash);
        try {
          ok += s.verify(w.sig()) ? 1 : 0;
        } catch (java.security.SignatureException e) {
          // a wrong-length value: still the operation's cost
        }
      }
    }
    return ok;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int warm = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    List<List<Work>> corpus = prepare(dir);
    int signatures = corpus.stream().mapToInt(List::size).sum();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int w = 0; w < warm; w++) {
      run(corpus);
    }
    for (int round = 1; round <= rounds; round++) {
      long cpu0 = os.getProcessCpuTime();
      run(corpus);
      double cpuMicros = (os.getProcessCpuTime() - cpu0) / 1e3 / corpus.size();
      System.out.printf(
          "{\"peer\":\"crypto floor\",\"round\":%d,\"messages\":%d,\"signatures\":%d,"
              + "\"cpuMicrosPerMessage\":%.1f}%n",
          round, corpus.size(), signatures, cpuMicros);
    }
  }
}
