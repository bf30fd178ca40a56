// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.milter;

import io.github.dmarcj.authres.AuthservIdGuard;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.verify.FailureReportSink;
import io.github.dmarcj.verify.MessageAuthenticator;
import io.github.dmarcj.verify.ReportRecordSink;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The milter daemon: listens on the configured socket, speaks the mail filter protocol version 6
 * with each MTA connection (one thread per connection, at most {@link
 * MilterConfig#maxConnections}), checks each message with one shared {@link MessageAuthenticator},
 * and answers {@code status} and {@code health} on the control socket.
 *
 * <pre>{@code
 * MilterServer server =
 *     MilterServer.builder(MilterConfig.builder().authservId("mx.example.net").build(), dns)
 *         .build();
 * server.start();
 * // ... on SIGTERM:
 * server.stop(); // finishes the messages in flight, then closes
 * }</pre>
 *
 * @since 0.1.0
 */
public final class MilterServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("io.github.dmarcj.milter");

  /** What every connection of one server shares. */
  static final class Shared {
    final MilterConfig config;
    final MessageAuthenticator authenticator;
    final AuthservIdGuard guard;
    final MilterStats stats;
    final ExecutorService verifyExecutor;
    private final Set<MilterSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    Shared(MilterConfig config, MessageAuthenticator authenticator, MilterStats stats) {
      this.config = config;
      this.authenticator = authenticator;
      this.guard = AuthservIdGuard.forAuthservId(authenticator.authservId());
      this.stats = stats;
      this.verifyExecutor = Executors.newCachedThreadPool(daemon("dmarc-milter-verify-"));
    }

    boolean stopping() {
      return stopping;
    }

    void ended(MilterSession s) {
      sessions.remove(s);
    }
  }

  private final Shared shared;
  private final ExecutorService connectionThreads;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private @Nullable ServerSocketChannel listener;
  private @Nullable ControlServer control;

  private MilterServer(Shared shared) {
    this.shared = shared;
    this.connectionThreads = Executors.newCachedThreadPool(daemon("dmarc-milter-conn-"));
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * {@return a builder; {@code resolver} answers every DNS query (give it a caching one)}
   *
   * @param config the milter's settings
   * @param resolver the resolver for SPF, DKIM and DMARC
   */
  public static Builder builder(MilterConfig config, DnsResolver resolver) {
    return new Builder(config, resolver);
  }

  /**
   * Binds the milter socket and the control socket and starts serving.
   *
   * @throws IOException if a socket cannot be bound
   * @throws IllegalStateException if already started
   */
  public synchronized void start() throws IOException {
    if (listener != null) {
      throw new IllegalStateException("already started");
    }
    ServerSocketChannel l = bind(shared.config.socket());
    listener = l;
    Optional<SocketSpec> cs = shared.config.controlSocket();
    if (cs.isPresent()) {
      try {
        control = ControlServer.start(bind(cs.get()), this);
      } catch (IOException e) {
        l.close();
        throw e;
      }
    }
    Thread t = new Thread(() -> acceptLoop(l), "dmarc-milter-accept");
    t.setDaemon(true);
    t.start();
    LOG.log(
        System.Logger.Level.INFO,
        "milter listening on "
            + describe(l.getLocalAddress())
            + " (authserv-id "
            + shared.authenticator.authservId()
            + ")");
  }

  private static String describe(SocketAddress a) {
    return a instanceof UnixDomainSocketAddress
        ? "unix:" + ((UnixDomainSocketAddress) a).getPath()
        : String.valueOf(a);
  }

  private static ServerSocketChannel bind(SocketSpec spec) throws IOException {
    Path path = spec.unixPath();
    if (path == null) {
      ServerSocketChannel ch = ServerSocketChannel.open();
      ch.bind(spec.address(), 128);
      return ch;
    }
    if (Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path)) {
      Files.delete(path); // a socket left by an earlier run
    }
    ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    ch.bind(spec.address(), 128);
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the socket keeps the umask's permissions
    }
    return ch;
  }

  private void acceptLoop(ServerSocketChannel l) {
    while (!shared.stopping) {
      SocketChannel ch;
      try {
        ch = l.accept();
      } catch (ClosedChannelException e) {
        break;
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "accept failed: " + e);
        continue;
      }
      if (shared.stopping || shared.sessions.size() >= shared.config.maxConnections()) {
        shared.stats.refusedConnections.increment();
        try {
          ch.close();
        } catch (IOException e) {
          // refusing: nothing left to do
        }
        continue;
      }
      MilterSession s = new MilterSession(shared, ch);
      shared.sessions.add(s);
      try {
        connectionThreads.execute(s);
      } catch (RuntimeException e) {
        shared.sessions.remove(s);
        s.closeNow();
      }
    }
  }

  /** {@return the address the milter listens on (with the actual port when 0 was asked)} */
  public SocketAddress localAddress() {
    ServerSocketChannel l = listener;
    if (l == null) {
      throw new IllegalStateException("not started");
    }
    try {
      return l.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException("not listening", e);
    }
  }

  /** {@return the control socket's address, if there is one} */
  public Optional<SocketAddress> controlAddress() {
    ControlServer c = control;
    return c == null ? Optional.empty() : Optional.of(c.localAddress());
  }

  /** {@return the counters since start, by name, as {@code dmarc milter status} prints them} */
  public Map<String, Long> counters() {
    return shared.stats.snapshot();
  }

  /** {@return true while serving, false once a stop began} */
  public boolean running() {
    return listener != null && !shared.stopping;
  }

  /**
   * Stops gracefully: no new connection is taken, idle connections are closed, and messages in
   * flight are finished, for at most {@link MilterConfig#shutdownTimeout}; what is left is then
   * closed (the MTA applies its own default action to it).
   *
   * @return true if every connection ended within the time
   */
  public boolean stop() {
    return stop(shared.config.shutdownTimeout());
  }

  /**
   * Stops gracefully, waiting at most {@code grace} for messages in flight.
   *
   * @param grace the longest wait
   * @return true if every connection ended within the time
   */
  public boolean stop(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    synchronized (this) {
      if (shared.stopping) {
        awaitQuietly(grace);
        return shared.sessions.isEmpty();
      }
      shared.stopping = true;
    }
    closeQuietly(listener);
    ControlServer c = control;
    if (c != null) {
      c.close();
    }
    long deadline = System.nanoTime() + grace.toNanos();
    boolean clean = true;
    while (!shared.sessions.isEmpty()) {
      for (MilterSession s : shared.sessions) {
        s.closeIfIdle();
      }
      if (System.nanoTime() > deadline) {
        clean = false;
        for (MilterSession s : shared.sessions) {
          s.closeNow();
        }
        break;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        clean = false;
        break;
      }
    }
    connectionThreads.shutdownNow();
    shared.verifyExecutor.shutdownNow();
    ServerSocketChannel l = listener;
    if (l != null) {
      deleteSocketFile(shared.config.socket());
    }
    shared.config.controlSocket().ifPresent(MilterServer::deleteSocketFile);
    stopped.countDown();
    LOG.log(
        System.Logger.Level.INFO,
        "milter stopped" + (clean ? "" : " (connections still busy were closed)"));
    return clean;
  }

  private void awaitQuietly(Duration d) {
    try {
      stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until a {@link #stop} has finished.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  private static void deleteSocketFile(SocketSpec spec) {
    Path p = spec.unixPath();
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot remove the socket " + p + ": " + e);
      }
    }
  }

  private static void closeQuietly(@Nullable ServerSocketChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        // stopping: nothing left to do
      }
    }
  }

  /** Stops with the configured shutdown timeout. */
  @Override
  public void close() {
    stop();
  }

  /** Builder of {@link MilterServer}. */
  public static final class Builder {
    private final MilterConfig config;
    private final DnsResolver resolver;
    private @Nullable ReportRecordSink sink;
    private @Nullable FailureReportSink failureSink;
    private Clock clock = Clock.systemUTC();

    private Builder(MilterConfig config, DnsResolver resolver) {
      this.config = Objects.requireNonNull(config, "config");
      this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * Sets where aggregate-report rows go (default: nowhere).
     *
     * @param sink the report store
     * @return this builder
     */
    public Builder reportRecordSink(ReportRecordSink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * Sets where failure incidents go (default: nowhere).
     *
     * @param sink the failure report store
     * @return this builder
     */
    public Builder failureReportSink(FailureReportSink sink) {
      this.failureSink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * Sets the clock of DKIM {@code t=}/{@code x=} and report rows (default: system UTC).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** {@return the server, not yet started} */
    public MilterServer build() {
      MilterStats stats = new MilterStats();
      MessageAuthenticator.Builder b =
          MessageAuthenticator.builder(new TimedDnsResolver(resolver, stats))
              .authservId(config.authservId())
              .dmarcMode(config.dmarcMode())
              // The facade's own limit comes first, so a slow DNS answer still gives a verdict
              // (temperror for what did not finish); the milter's fallback is for the rest.
              .timeout(config.messageTimeout().multipliedBy(4).dividedBy(5))
              .clock(clock);
      if (sink != null) {
        b.reportRecordSink(sink);
      }
      if (failureSink != null) {
        b.failureReportSink(failureSink);
      }
      return new MilterServer(new Shared(config, b.build(), stats));
    }
  }
}
