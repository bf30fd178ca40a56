// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.ZoneFileResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.verify.MessageAuthenticator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code dmarc verify --batch}: JSON Lines in, one JSON line per request out, in input order.
 * Requests run concurrently (at most {@link #WINDOW} in flight); zone files are loaded once per
 * distinct set and their resolver reused; one authenticator is kept per (zone set, time).
 */
final class BatchVerifier {
  /** Requests in flight at once; bounds memory whatever the file size. */
  static final int WINDOW = 256;

  /** Authenticators kept for distinct (zone set, now) pairs. */
  static final int MAX_AUTHENTICATORS = 64;

  private final VerifyCommand command;
  private final Map<List<Path>, CompletableFuture<DnsResolver>> resolvers = new ConcurrentHashMap<>();
  private final Map<String, MessageAuthenticator> authenticators =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, MessageAuthenticator> e) {
          return size() > MAX_AUTHENTICATORS;
        }
      };
  private DnsResolver commandLineResolver;

  BatchVerifier(VerifyCommand command) {
    this.command = command;
  }

  int run(String requests, PrintWriter out) throws IOException {
    Path base;
    BufferedReader in;
    if (requests.equals("-")) {
      base = Path.of("").toAbsolutePath();
      in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    } else {
      Path file = Path.of(requests);
      if (!Files.isReadable(file)) {
        System.err.println("cannot read " + requests);
        return 1;
      }
      base = file.toAbsolutePath().getParent();
      in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "dmarc-verify");
      t.setDaemon(true);
      return t;
    });
    Deque<CompletableFuture<String>> pending = new ArrayDeque<>();
    try (in) {
      String line;
      long lineNo = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        pending.add(submit(line, lineNo, base, pool));
        while (!pending.isEmpty() && (pending.size() >= WINDOW || pending.peek().isDone())) {
          out.println(pending.poll().join());
        }
      }
      while (!pending.isEmpty()) {
        out.println(pending.poll().join());
      }
    } finally {
      out.flush();
      pool.shutdownNow();
    }
    return 0;
  }

  private CompletableFuture<String> submit(String line, long lineNo, Path base, ExecutorService pool) {
    JsonNode req;
    try {
      req = VerifyJson.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      return done(null, "line " + lineNo + ": not JSON: " + e.getOriginalMessage());
    }
    if (req == null || !req.isObject()) {
      return done(null, "line " + lineNo + ": a request must be a JSON object");
    }
    String id = req.hasNonNull("id") ? req.get("id").asText() : null;
    return CompletableFuture.supplyAsync(() -> verify(id, req, base), pool)
        .thenCompose(f -> f)
        .exceptionally(e -> error(id, message(e)));
  }

  private CompletableFuture<String> verify(String id, JsonNode req, Path base) {
    String messagePath = text(req, "message");
    String ipText = text(req, "clientIp");
    if (messagePath == null) {
      return done(id, "\"message\" (path of the message file) is required");
    }
    if (ipText == null) {
      return done(id, "\"clientIp\" is required");
    }
    InetAddress ip = VerifyCommand.parseIp(ipText);
    if (ip == null) {
      return done(id, "\"clientIp\" is not an IP address: " + ipText);
    }
    String helo = text(req, "helo");
    String mailFrom = text(req, "mailFrom");
    Long now = null;
    if (req.hasNonNull("now")) {
      if (!req.get("now").canConvertToLong()) {
        return done(id, "\"now\" must be seconds since 1970");
      }
      now = req.get("now").asLong();
    }
    JsonNode z = req.get("zone");
    if (z != null && !z.isNull() && !z.isTextual() && !z.isArray()) {
      return done(id, "\"zone\" must be a path or a list of paths");
    }
    byte[] bytes;
    try {
      bytes = VerifyCommand.readMessage(base.resolve(messagePath));
    } catch (IOException e) {
      return done(id, "cannot read message " + messagePath + ": " + e.getMessage());
    }
    MessageAuthenticator a;
    try {
      a = authenticator(z, base, now);
    } catch (RuntimeException e) {
      return done(id, message(e));
    }
    SmtpEnvelope env = SmtpEnvelope.of(ip, helo == null ? "" : helo, mailFrom);
    return a.verifyAsync(env, bytes)
        .thenApply(r -> VerifyJson.of(id, r))
        .toCompletableFuture();
  }

  /**
   * The authenticator for a request's zone files and time. Requests usually repeat the same
   * {@code zone} value, so that value as written is the first key; the normalized file set is
   * worked out only the first time a value is seen.
   */
  private MessageAuthenticator authenticator(JsonNode zone, Path base, Long now) {
    String written = (zone == null || zone.isNull() ? "" : zone.toString()) + "@" + now;
    synchronized (authenticators) {
      MessageAuthenticator a = authenticators.get(written);
      if (a != null) {
        return a;
      }
    }
    List<Path> files = zoneFiles(zone, base);
    DnsResolver resolver = files.isEmpty() ? commandLineResolver() : zoneResolver(files);
    String authKey = files + "@" + now;
    synchronized (authenticators) {
      MessageAuthenticator a = authenticators.get(authKey);
      if (a == null) {
        a = command.authenticator(resolver, now);
        authenticators.put(authKey, a);
      }
      authenticators.put(written, a);
      return a;
    }
  }

  /** The distinct absolute paths of a request's {@code zone} value, sorted. */
  private static List<Path> zoneFiles(JsonNode zone, Path base) {
    List<Path> zones = new ArrayList<>();
    if (zone != null && zone.isTextual()) {
      zones.add(base.resolve(zone.asText()).normalize());
    } else if (zone != null && zone.isArray()) {
      for (JsonNode e : zone) {
        if (!e.isTextual()) {
          throw new IllegalArgumentException("\"zone\" must be a path or a list of paths");
        }
        zones.add(base.resolve(e.asText()).normalize());
      }
    }
    return zones.stream().map(Path::toAbsolutePath).sorted().distinct().toList();
  }

  private synchronized DnsResolver commandLineResolver() {
    if (commandLineResolver == null) {
      commandLineResolver = command.commandLineResolver();
    }
    return commandLineResolver;
  }

  private DnsResolver zoneResolver(List<Path> files) {
    CompletableFuture<DnsResolver> f = new CompletableFuture<>();
    CompletableFuture<DnsResolver> existing = resolvers.putIfAbsent(files, f);
    if (existing == null) {
      try {
        f.complete(ZoneFileResolver.fromFiles(files.toArray(Path[]::new)));
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
      existing = f;
    }
    try {
      return existing.join();
    } catch (RuntimeException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      if (c instanceof UncheckedIOException u) {
        throw new IllegalArgumentException("cannot load zone files " + files + ": " + u.getCause().getMessage());
      }
      throw new IllegalArgumentException("cannot load zone files " + files + ": " + c.getMessage());
    }
  }

  private static String text(JsonNode req, String field) {
    JsonNode n = req.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static CompletableFuture<String> done(String id, String error) {
    return CompletableFuture.completedFuture(error(id, error));
  }

  private static String error(String id, String message) {
    return VerifyJson.error(id, message);
  }

  private static String message(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && (c instanceof java.util.concurrent.CompletionException)) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }
}
