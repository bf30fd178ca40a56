// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.ZoneFileResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.verify.MessageAuthenticator;
import io.github.dmarcj.verify.VerificationRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;

/**
 * {@code dmarc verify --batch}: JSON Lines in, one JSON line per request out, in input order.
 * Requests run concurrently (at most {@link #WINDOW} in flight); zone files are loaded once per
 * distinct set and their resolver reused; one authenticator is kept per (zone set, time).
 *
 * <p>A printer thread writes the lines in bursts as requests finish (see {@link Printer}); with
 * {@code --report-db} the rows of a burst are committed before its lines are printed.
 */
final class BatchVerifier {
  /** Requests in flight at once; bounds memory whatever the file size. */
  static final int WINDOW = 256;

  /** Authenticators kept for distinct (zone set, now) pairs. */
  static final int MAX_AUTHENTICATORS = 4096;

  private final VerifyCommand command;
  private final Map<List<Path>, CompletableFuture<DnsResolver>> resolvers =
      new ConcurrentHashMap<>();
  private final Map<String, MessageAuthenticator> authenticators =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, MessageAuthenticator> e) {
          return size() > MAX_AUTHENTICATORS;
        }
      };
  private @Nullable DnsResolver commandLineResolver;

  BatchVerifier(VerifyCommand command) {
    this.command = command;
  }

  /** The folder of a requests file: not a folder itself, so not the root, it has a parent. */
  @SuppressWarnings("NullAway") // Path.getParent() is null only for a root
  private static Path folderOf(Path file) {
    return file.toAbsolutePath().getParent();
  }

  /** Put after the last request: the printer stops there. */
  private static final CompletableFuture<String> END = new CompletableFuture<>();

  int run(String requests, PrintWriter out, PrintWriter err) throws ReportDb.Failure {
    Path base;
    BufferedReader in;
    if (requests.equals("-")) {
      base = Path.of("").toAbsolutePath();
      in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    } else {
      Path file = Path.of(requests);
      try {
        if (Files.isDirectory(file)) {
          throw new IOException("is a folder");
        }
        // Undecodable bytes become U+FFFD, as on standard input; the line then gets an error.
        in =
            new BufferedReader(
                new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8));
      } catch (IOException | RuntimeException e) {
        return cannotRead(err, requests, e);
      }
      base = folderOf(file);
    }
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "dmarc-verify");
              t.setDaemon(true);
              return t;
            });
    Semaphore window = new Semaphore(WINDOW);
    BlockingQueue<CompletableFuture<String>> order = new LinkedBlockingQueue<>();
    Printer printer = new Printer(order, window, out, command.reportDb());
    Thread printing = new Thread(printer, "dmarc-print");
    printing.start();
    IOException readError = null;
    try (in) {
      String line;
      long lineNo = 0;
      while (!printer.stopped && (line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        window.acquire(); // at most WINDOW requests verified and not yet printed
        if (printer.stopped) {
          break;
        }
        order.add(submit(line, lineNo, base, pool));
      }
    } catch (IOException e) {
      readError = e; // the results of the lines read so far are still printed, then the error
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      order.add(END);
      joinUninterruptibly(printing);
      out.flush();
      pool.shutdownNow();
    }
    if (printer.failure != null) {
      throw printer.failure;
    }
    if (printer.crash != null) {
      throw printer.crash;
    }
    return readError != null ? cannotRead(err, requests, readError) : 0;
  }

  private static void joinUninterruptibly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Prints the results in input order, as they complete, in bursts: the finished requests at the
   * head of the queue. With {@code --report-db} it first waits until the report database has
   * committed every row handed to it so far, which includes the rows of the burst. It runs apart
   * from the reader, so requests keep being verified while a commit is under way.
   */
  private static final class Printer implements Runnable {
    private final BlockingQueue<CompletableFuture<String>> order;
    private final Semaphore window;
    private final PrintWriter out;
    private final @Nullable ReportDb db;
    volatile boolean stopped;
    volatile ReportDb.@Nullable Failure failure;
    volatile @Nullable RuntimeException crash;

    Printer(
        BlockingQueue<CompletableFuture<String>> order,
        Semaphore window,
        PrintWriter out,
        @Nullable ReportDb db) {
      this.order = order;
      this.window = window;
      this.out = out;
      this.db = db;
    }

    @Override
    public void run() {
      List<String> burst = new ArrayList<>();
      try {
        while (true) {
          CompletableFuture<String> f = order.take();
          if (f == END) {
            return;
          }
          burst.add(f.join());
          CompletableFuture<String> next;
          while ((next = order.peek()) != null && next != END && next.isDone()) {
            burst.add(order.poll().join());
          }
          if (db != null) {
            db.commit();
          }
          for (String line : burst) {
            out.println(line);
          }
          window.release(burst.size());
          burst.clear();
        }
      } catch (ReportDb.Failure e) {
        failure = e;
      } catch (RuntimeException e) {
        crash = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // Stopped early: let the reader see it, even while it waits for room in the window.
      stopped = true;
      window.release(WINDOW);
    }
  }

  private static int cannotRead(PrintWriter err, String requests, Exception e) {
    String why = e instanceof IOException io ? MessageInput.problem(io) : SafeText.message(e);
    err.println("dmarc verify: cannot read " + SafeText.of(requests) + ": " + why);
    err.flush();
    return 1;
  }

  // FutureReturnValueIgnored: the nested future verify() returns is flattened by thenCompose.
  @SuppressWarnings("FutureReturnValueIgnored")
  private CompletableFuture<String> submit(
      String line, long lineNo, Path base, ExecutorService pool) {
    BatchRequest req;
    try {
      req = BatchRequest.parse(VerifyJson.FACTORY, line);
    } catch (BatchRequest.NotAnObject e) {
      return done(null, "line " + lineNo + ": " + e.getMessage());
    }
    return CompletableFuture.supplyAsync(() -> verify(req, base), pool)
        .thenCompose(f -> f)
        .exceptionally(e -> error(req.id(), message(e)));
  }

  private CompletableFuture<String> verify(BatchRequest req, Path base) {
    String id = req.id();
    if (req.problem() != null) {
      return done(id, req.problem());
    }
    if (req.message() == null) {
      return done(id, "\"message\" (path of the message file) is required");
    }
    if (req.clientIp() == null) {
      return done(id, "\"clientIp\" is required");
    }
    InetAddress ip = VerifyCommand.parseIp(req.clientIp());
    if (ip == null) {
      return done(id, "\"clientIp\" is not an IP address: " + req.clientIp());
    }
    Path file = base.resolve(req.message());
    byte[] bytes;
    try {
      bytes = MessageInput.readIfAtMost(file, WHOLE_MESSAGE_BYTES);
    } catch (IOException | RuntimeException e) {
      String why = e instanceof IOException io ? MessageInput.problem(io) : message(e);
      return done(id, "cannot read message " + req.message() + ": " + why);
    }
    MessageAuthenticator a;
    try {
      a = authenticator(req, base);
    } catch (RuntimeException e) {
      return done(id, message(e));
    }
    SmtpEnvelope env = SmtpEnvelope.of(ip, req.helo() == null ? "" : req.helo(), req.mailFrom());
    if (bytes != null) {
      return a.verifyAsync(env, bytes).thenApply(r -> VerifyJson.of(id, r)).toCompletableFuture();
    }
    // A large message: streamed, so memory does not grow with it.
    try (java.io.InputStream in = MessageInput.open(file, req.message())) {
      return a.verifyAsync(VerificationRequest.of(env), in)
          .thenApply(r -> VerifyJson.of(id, r))
          .toCompletableFuture();
    } catch (IOException e) {
      return done(id, "cannot read message " + req.message() + ": " + MessageInput.problem(e));
    }
  }

  /** Messages up to this size are read whole; larger ones are streamed. */
  static final long WHOLE_MESSAGE_BYTES = 1 << 20;

  /**
   * The authenticator for a request's zone files and time. Requests usually repeat the same {@code
   * zone} value, so that value as written is the first key; the normalized file set is worked out
   * only the first time a value is seen.
   */
  private MessageAuthenticator authenticator(BatchRequest req, Path base) {
    String written = req.zoneKey() + "@" + req.now();
    synchronized (authenticators) {
      MessageAuthenticator a = authenticators.get(written);
      if (a != null) {
        return a;
      }
    }
    List<Path> files = zoneFiles(req.zones(), base);
    DnsResolver resolver = files.isEmpty() ? commandLineResolver() : zoneResolver(files);
    String authKey = files + "@" + req.now();
    synchronized (authenticators) {
      MessageAuthenticator a = authenticators.get(authKey);
      if (a == null) {
        a = command.authenticator(resolver, req.now());
        authenticators.put(authKey, a);
      }
      authenticators.put(written, a);
      return a;
    }
  }

  /** The distinct absolute paths of a request's zone files, sorted. */
  private static List<Path> zoneFiles(@Nullable List<String> zones, Path base) {
    if (zones == null) {
      return List.of();
    }
    return zones.stream()
        .map(z -> base.resolve(z).normalize().toAbsolutePath())
        .sorted()
        .distinct()
        .toList();
  }

  private synchronized DnsResolver commandLineResolver() {
    if (commandLineResolver == null) {
      commandLineResolver = command.commandLineResolver();
    }
    return commandLineResolver;
  }

  // NullAway: an UncheckedIOException always has its cause (its constructors require one).
  @SuppressWarnings("NullAway")
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
        throw new IllegalArgumentException(
            "cannot load zone files " + files + ": " + u.getCause().getMessage());
      }
      throw new IllegalArgumentException("cannot load zone files " + files + ": " + c.getMessage());
    }
  }

  private static CompletableFuture<String> done(@Nullable String id, String error) {
    return CompletableFuture.completedFuture(error(id, error));
  }

  private static String error(@Nullable String id, String message) {
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
