// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import io.github.dmarcj.dns.InMemoryDnsResolver;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Run in a separate JVM with a small heap by {@link StreamingMemoryTest}: signs and verifies a
 * message whose body is generated on the fly, never held in memory, and prints the result and the
 * peak heap use.
 */
final class LargeMessageMain {
  private LargeMessageMain() {}

  /** A deterministic text body of {@code size} bytes, produced as it is read. */
  static final class BodyStream extends InputStream {
    private final long size;
    private long pos;
    private final byte[] line;

    BodyStream(long size) {
      this.size = size;
      String l = "The quick brown fox  jumps over\tthe lazy dog; lorem ipsum dolor sit amet. \r\n";
      this.line = l.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public int read() {
      if (pos >= size) {
        return -1;
      }
      return line[(int) (pos++ % line.length)] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - pos);
      for (int i = 0; i < n; i++) {
        b[off + i] = line[(int) ((pos + i) % line.length)];
      }
      pos += n;
      return n;
    }
  }

  public static void main(String[] args) throws Exception {
    long size = Long.parseLong(args[0]);
    String header =
        "From: big@example.com\r\nTo: you@example.net\r\nSubject: large\r\n"
            + "Message-ID: <big@example.com>\r\n\r\n";
    byte[] head = header.getBytes(StandardCharsets.US_ASCII);

    // Body hash by streaming (relaxed, SHA-256), as the signer would.
    BodyHasher.Sink sink = new BodyHasher.Sink(Crypto.digest(DkimAlgorithm.RSA_SHA256), -1);
    BodyHasher hasher =
        BodyHasher.create(DkimCanonicalization.RELAXED, new BodyHasher.Sink[] {sink}, false);
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = new BodyStream(size)) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        hasher.update(buf, 0, n);
      }
    }
    hasher.finish();
    String bh = Base64.getEncoder().encodeToString(sink.digest.digest());

    StringBuilder fields = new StringBuilder();
    InMemoryDnsResolver.Builder zone = InMemoryDnsResolver.builder();
    for (DkimSigningKey key : List.of(RawSigner.RSA, RawSigner.ED)) {
      String sel = key.algorithm() == DkimAlgorithm.RSA_SHA256 ? "rsa" : "ed";
      zone.txt(sel + "._domainkey.example.com", key.publicKeyRecord());
      String unsigned =
          "DKIM-Signature: v=1; a="
              + key.algorithm().keyword()
              + "; c=relaxed/relaxed;"
              + " d=example.com; s="
              + sel
              + "; h=From:To:Subject; bh="
              + bh
              + "; b=";
      byte[] u = unsigned.getBytes(StandardCharsets.US_ASCII);
      HeaderSection hs = HeaderSection.parse(head, 0, head.length, 1 << 20);
      ByteBuf data =
          HeaderHashInput.build(
              hs.fields, List.of("From", "To", "Subject"), DkimCanonicalization.RELAXED, u, false);
      fields
          .append(unsigned)
          .append(Base64.getEncoder().encodeToString(key.sign(data.buf, data.len)))
          .append("\r\n");
    }
    byte[] top = (fields + header).getBytes(StandardCharsets.US_ASCII);

    DkimMessageVerifier verifier = DkimMessageVerifier.builder(zone.build()).build();
    // java.lang.management through reflection: the test module does not read java.management.
    List<?> pools =
        (List<?>)
            Class.forName("java.lang.management.ManagementFactory")
                .getMethod("getMemoryPoolMXBeans")
                .invoke(null);
    Class<?> poolType = Class.forName("java.lang.management.MemoryPoolMXBean");
    Class<?> usageType = Class.forName("java.lang.management.MemoryUsage");
    for (Object p : pools) {
      poolType.getMethod("resetPeakUsage").invoke(p);
    }
    long t0 = System.nanoTime();
    List<String> results;
    InputStream message =
        new SequenceInputStream(new ByteArrayInputStream(top), new BodyStream(size));
    if (args.length > 1 && args[1].equals("facade")) {
      // The whole verification through the library's entry point, SPF stubbed out.
      InMemoryDnsResolver resolver = zone.txt("_dmarc.example.com", "v=DMARC1; p=reject").build();
      io.github.dmarcj.verify.MessageAuthenticator authenticator =
          io.github.dmarcj.verify.MessageAuthenticator.builder(resolver)
              .authservId("mx.example.net")
              .spfVerifier(
                  env ->
                      java.util.concurrent.CompletableFuture.completedFuture(
                          io.github.dmarcj.result.SpfOutcome.of(
                              io.github.dmarcj.result.SpfResult.NONE,
                              io.github.dmarcj.result.SpfScope.MFROM,
                              "a@example.org",
                              "example.org")))
              .dkimVerifier(verifier)
              .build();
      io.github.dmarcj.verify.VerificationResult r =
          authenticator.verify(
              io.github.dmarcj.message.SmtpEnvelope.of(
                  java.net.InetAddress.getByName("192.0.2.1"), "mx.example.org", "a@example.org"),
              message);
      results = new java.util.ArrayList<>();
      for (io.github.dmarcj.result.DkimOutcome d : r.dkim()) {
        results.add(d.result().keyword());
      }
      results.add("dmarc=" + r.dmarc().result().keyword());
    } else {
      DkimVerificationResult report = verifier.verifyMessage(message).toCompletableFuture().join();
      results = report.signatures().stream().map(s -> s.reason().keyword()).toList();
    }
    long millis = (System.nanoTime() - t0) / 1_000_000;
    long peak = 0;
    for (Object p : pools) {
      if (((Enum<?>) poolType.getMethod("getType").invoke(p)).name().equals("HEAP")) {
        Object usage = poolType.getMethod("getPeakUsage").invoke(p);
        peak += (Long) usageType.getMethod("getUsed").invoke(usage);
      }
    }
    System.out.println("RESULTS=" + results);
    System.out.println("PEAK_HEAP_BYTES=" + peak);
    System.out.println("MAX_HEAP_BYTES=" + Runtime.getRuntime().maxMemory());
    System.out.println("MILLIS=" + millis);
  }
}
