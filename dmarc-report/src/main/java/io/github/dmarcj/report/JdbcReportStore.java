// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

import io.github.dmarcj.verify.ReportRecord;
import io.github.dmarcj.verify.ReportRecordSink;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A durable {@link ReportRecordSink} that keeps the aggregate-report rows (RFC 9990 §3.1.1) of
 * every evaluated message in a relational database over JDBC, for {@link ReportAggregator} to turn
 * into reports later. The default database is an embedded H2 file ({@code
 * jdbc:h2:file:/var/lib/dmarcj/reports}); the SQL is portable, so a PostgreSQL {@link DataSource}
 * lets several mail servers feed one reporting pipeline. The tables (and a version table) are
 * created when absent.
 *
 * <p>{@link #accept} only puts the record into a bounded queue; one writer thread takes up to
 * {@link Builder#batchSize} records at a time and inserts them in one transaction. No record is
 * lost silently:
 *
 * <ul>
 *   <li>when the queue is full, {@code accept} waits up to {@link Builder#offerTimeout} and then
 *       counts the record in {@link Stats#dropped()} and logs it;
 *   <li>when a batch fails, the writer keeps it and retries with exponential backoff, up to {@link
 *       Builder#maxAttempts} attempts; a batch that still fails is counted in {@link
 *       Stats#failed()} and logged at {@code ERROR};
 *   <li>{@link #flush} and {@link #close} wait until every record accepted before them is committed
 *       (or counted as failed).
 * </ul>
 *
 * <p>Log messages go to {@link System.Logger} {@code io.github.dmarcj.report}. The writer thread is
 * a daemon: call {@link #close} before the JVM exits, or records still queued are lost.
 *
 * <p>(Over 500 lines on purpose: the queue, the writer thread's batching and retry, and the insert
 * statements share one connection lifecycle and one set of counters, and are easier to check
 * together. Reading rows back is in {@code RecordRows}, the DDL in {@code ReportSchema}.)
 *
 * <pre>{@code
 * try (JdbcReportStore store = JdbcReportStore.builder("jdbc:h2:file:/var/lib/dmarcj/reports").build()) {
 *   MessageAuthenticator auth = MessageAuthenticator.builder(dns).reportRecordSink(store).build();
 *   ...
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class JdbcReportStore implements ReportRecordSink, AutoCloseable {
  /** Default queue capacity. */
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

  /** Default number of records per transaction. */
  public static final int DEFAULT_BATCH_SIZE = 500;

  /** Default time {@link #accept} waits for room in a full queue. */
  public static final Duration DEFAULT_OFFER_TIMEOUT = Duration.ofMillis(100);

  /** Default number of attempts per batch before it is counted as failed. */
  public static final int DEFAULT_MAX_ATTEMPTS = 8;

  /** Default first retry delay; it doubles per attempt up to {@link #DEFAULT_MAX_BACKOFF}. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);

  /** Default longest retry delay. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);

  /** Default time {@link #close} waits for the writer to drain the queue. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(60);

  private static final System.Logger LOG = System.getLogger("io.github.dmarcj.report");
  private static final long LOG_EVERY = 1000;

  private final DataSource dataSource;
  private final BlockingQueue<ReportRecord> queue;
  private final int batchSize;
  private final Duration offerTimeout;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration closeTimeout;
  private final Thread writer;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();

  private final AtomicLong enqueued = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong stored = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final Object progress = new Object();
  private long processed; // guarded by progress

  /**
   * For an embedded H2 database given by URL: one connection held open while the store is, since H2
   * closes the database when its last connection closes and the store opens one per transaction and
   * per read. Without it every batch and every policy domain read reopens the file: reading the
   * reports of 1,000 domains took 820 s instead of 7 s.
   */
  private final @Nullable Connection keeper;

  private static @Nullable Connection openKeeper(DataSource ds) throws SQLException {
    return ds instanceof UrlDataSource u && u.url.startsWith("jdbc:h2:") ? u.getConnection() : null;
  }

  private JdbcReportStore(Builder b) throws SQLException {
    this.dataSource = b.dataSource;
    this.queue = new ArrayBlockingQueue<>(b.queueCapacity);
    this.batchSize = b.batchSize;
    this.offerTimeout = b.offerTimeout;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.closeTimeout = b.closeTimeout;
    try (Connection c = dataSource.getConnection()) {
      ReportSchema.ensure(c);
    }
    this.keeper = openKeeper(dataSource);
    this.writer = b.threadFactory.newThread(this::writeLoop);
    writer.start();
  }

  /**
   * {@return a builder over a JDBC URL, opened through {@link DriverManager}}
   *
   * @param jdbcUrl the JDBC URL
   */
  public static Builder builder(String jdbcUrl) {
    return new Builder(new UrlDataSource(Objects.requireNonNull(jdbcUrl, "jdbcUrl"), null, null));
  }

  /**
   * {@return a builder over a JDBC URL with credentials, opened through {@link DriverManager}}
   *
   * @param jdbcUrl the JDBC URL
   * @param user the database user
   * @param password the user's password
   */
  public static Builder builder(String jdbcUrl, String user, @Nullable String password) {
    return new Builder(
        new UrlDataSource(Objects.requireNonNull(jdbcUrl, "jdbcUrl"), user, password));
  }

  /**
   * {@return a builder over a data source (a connection pool, a PostgreSQL data source)}
   *
   * @param dataSource the source of connections
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
  }

  /**
   * Queues the record for writing. Waits at most {@link Builder#offerTimeout} for room; a record
   * that finds no room, or arrives after {@link #close}, is counted in {@link Stats#dropped()} and
   * logged. Never throws for a non-null record.
   */
  @Override
  public void accept(ReportRecord record) {
    Objects.requireNonNull(record, "record");
    boolean in;
    // close() takes the write lock, so no record can enter the queue after the final drain.
    gate.readLock().lock();
    try {
      if (closed.get()) {
        drop("the store is closed");
        return;
      }
      in = queue.offer(record, offerTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      in = false;
    } finally {
      gate.readLock().unlock();
    }
    if (in) {
      enqueued.incrementAndGet();
    } else {
      drop("the queue stayed full for " + offerTimeout.toMillis() + " ms");
    }
  }

  private void drop(String why) {
    long n = dropped.incrementAndGet();
    if (n == 1 || n % LOG_EVERY == 0) {
      LOG.log(
          System.Logger.Level.WARNING, "report record dropped ({0}); {1} dropped so far", why, n);
    }
  }

  /**
   * Waits until every record accepted before this call is committed or counted as failed.
   *
   * @param timeout the longest wait
   * @return whether that happened within the timeout
   * @throws InterruptedException if the thread is interrupted while it waits
   */
  public boolean flush(Duration timeout) throws InterruptedException {
    long target = enqueued.get();
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (processed < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(progress, left);
      }
    }
    return true;
  }

  /**
   * Stops accepting records (after the {@link #accept} calls in progress, at most {@link
   * Builder#offerTimeout}), lets the writer commit everything queued (waiting up to {@link
   * Builder#closeTimeout}), and stops the writer. Records the writer could not commit in that time
   * are counted in {@link Stats#failed()} and logged. Idempotent.
   */
  @Override
  public void close() {
    gate.writeLock().lock();
    try {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
    } finally {
      gate.writeLock().unlock();
    }
    try {
      writer.join(Math.max(1, closeTimeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      writer.interrupt();
      try {
        writer.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // A record offered while close() began may have arrived after the writer's last look.
    List<ReportRecord> late = new ArrayList<>();
    queue.drainTo(late);
    if (!late.isEmpty()) {
      failed.addAndGet(late.size());
      done(late.size());
      LOG.log(
          System.Logger.Level.ERROR,
          "{0} report records arrived while the store was closing and were not written",
          late.size());
    }
    if (keeper != null) {
      try {
        keeper.close();
      } catch (SQLException e) {
        LOG.log(System.Logger.Level.WARNING, "closing the database: {0}", e.getMessage());
      }
    }
  }

  /** {@return the counters since this store was built} */
  public Stats stats() {
    return new Stats(
        enqueued.get() + dropped.get(),
        stored.get(),
        dropped.get(),
        failed.get(),
        queue.size(),
        batches.get(),
        retries.get());
  }

  /**
   * Streams the stored records of one policy domain whose evaluation time is in [{@code begin},
   * {@code end}), in whole seconds as in a report's {@code date_range}, in the order they were
   * stored.
   *
   * @param policyDomain the policy domain
   * @param begin the start of the period, inclusive
   * @param end the end of the period, exclusive
   * @param action called once per record
   * @throws SQLException if the database query fails
   */
  public void forEachRecord(
      String policyDomain, Instant begin, Instant end, Consumer<ReportRecord> action)
      throws SQLException {
    try (RecordReader r = reader()) {
      r.forEachRecord(policyDomain, begin, end, action);
    }
  }

  /**
   * {@return a reader of many policy domains' records over one connection, for a report run}
   *
   * @throws SQLException if no connection can be opened
   */
  public RecordReader reader() throws SQLException {
    return new RecordReader(dataSource.getConnection());
  }

  /**
   * {@return the stored records of one policy domain and period (see {@link #forEachRecord})}
   *
   * @param policyDomain the policy domain
   * @param begin the start of the period, inclusive
   * @param end the end of the period, exclusive
   * @throws SQLException if the database query fails
   */
  public List<ReportRecord> records(String policyDomain, Instant begin, Instant end)
      throws SQLException {
    List<ReportRecord> out = new ArrayList<>();
    forEachRecord(policyDomain, begin, end, out::add);
    return out;
  }

  /**
   * {@return the database the store writes to, for tables of its own in the same database (the
   * delivery ledger of report sending)}
   */
  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * {@return the policy domains with at least one record in [{@code begin}, {@code end}), sorted}
   *
   * @param begin the start of the period, inclusive
   * @param end the end of the period, exclusive
   * @throws SQLException if the database query fails
   */
  public List<String> policyDomains(Instant begin, Instant end) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(ReportSchema.SELECT_DOMAINS)) {
      ps.setLong(1, begin.getEpochSecond());
      ps.setLong(2, end.getEpochSecond());
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  /**
   * {@return the UTC hours (their start) in [{@code begin}, {@code end}) in which {@code
   * policyDomain} has rows, in ascending order}
   *
   * @param policyDomain the policy domain as stored
   * @param begin the start, inclusive
   * @param end the end, exclusive
   * @throws SQLException if the database fails
   */
  public List<Instant> hoursWithRecords(String policyDomain, Instant begin, Instant end)
      throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(ReportSchema.SELECT_HOURS)) {
      ps.setString(1, policyDomain);
      ps.setLong(2, begin.getEpochSecond());
      ps.setLong(3, end.getEpochSecond());
      List<Instant> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(Instant.ofEpochSecond(rs.getLong(1) * 3600));
        }
      }
      out.sort(null);
      return out;
    }
  }

  private void writeLoop() {
    List<ReportRecord> batch = new ArrayList<>(batchSize);
    try {
      while (true) {
        ReportRecord first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closed.get() && queue.isEmpty()) {
            return;
          }
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, batchSize - 1);
        write(batch);
        done(batch.size());
        batch.clear();
      }
    } catch (InterruptedException e) {
      List<ReportRecord> rest = new ArrayList<>(batch);
      queue.drainTo(rest);
      if (!rest.isEmpty()) {
        failed.addAndGet(rest.size());
        LOG.log(
            System.Logger.Level.ERROR,
            "report store closed before {0} records could be written; they are lost",
            rest.size());
        done(rest.size());
      }
    }
  }

  private void done(int n) {
    synchronized (progress) {
      processed += n;
      progress.notifyAll();
    }
  }

  /** Writes one batch, retrying with backoff; counts it as stored or failed. */
  private void write(List<ReportRecord> batch) throws InterruptedException {
    long delay = initialBackoff.toNanos();
    for (int attempt = 1; ; attempt++) {
      try {
        insert(batch);
        stored.addAndGet(batch.size());
        batches.incrementAndGet();
        return;
      } catch (SQLException | RuntimeException e) {
        if (attempt >= maxAttempts) {
          failed.addAndGet(batch.size());
          LOG.log(
              System.Logger.Level.ERROR,
              "report store gave up on " + batch.size() + " records after " + attempt + " attempts",
              e);
          return;
        }
        retries.incrementAndGet();
        LOG.log(
            System.Logger.Level.WARNING,
            "report store write failed (attempt " + attempt + "), retrying: " + e);
        TimeUnit.NANOSECONDS.sleep(delay);
        delay = Math.min(delay * 2, maxBackoff.toNanos());
      }
    }
  }

  private void insert(List<ReportRecord> batch) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        RecordRows.insert(c, batch);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
  }

  /**
   * Counters of a {@link JdbcReportStore}.
   *
   * @param accepted records handed to {@link #accept}
   * @param stored records committed
   * @param dropped records refused because the queue stayed full or the store was closed
   * @param failed records given up after {@link Builder#maxAttempts} failed writes or at close
   * @param pending records queued and not yet written
   * @param batches transactions committed
   * @param retries failed write attempts that were retried
   */
  public record Stats(
      long accepted,
      long stored,
      long dropped,
      long failed,
      long pending,
      long batches,
      long retries) {}

  /** Options of a {@link JdbcReportStore}; every one has a documented default. */
  public static final class Builder {
    private final DataSource dataSource;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration offerTimeout = DEFAULT_OFFER_TIMEOUT;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private ThreadFactory threadFactory =
        r -> {
          Thread t = new Thread(r, "dmarcj-report-writer");
          t.setDaemon(true);
          return t;
        };

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * Records that may wait for the writer (default {@value #DEFAULT_QUEUE_CAPACITY}).
     *
     * @param capacity the queue capacity in records
     * @return this builder
     */
    public Builder queueCapacity(int capacity) {
      this.queueCapacity = positive(capacity, "queueCapacity");
      return this;
    }

    /**
     * Records per transaction (default {@value #DEFAULT_BATCH_SIZE}).
     *
     * @param size the records per transaction
     * @return this builder
     */
    public Builder batchSize(int size) {
      this.batchSize = positive(size, "batchSize");
      return this;
    }

    /**
     * How long {@link #accept} waits for room in a full queue (default 100 ms).
     *
     * @param timeout the longest wait for room
     * @return this builder
     */
    public Builder offerTimeout(Duration timeout) {
      this.offerTimeout = nonNegative(timeout, "offerTimeout");
      return this;
    }

    /**
     * Attempts per batch before it is counted as failed (default {@value #DEFAULT_MAX_ATTEMPTS}).
     *
     * @param attempts the attempts per batch
     * @return this builder
     */
    public Builder maxAttempts(int attempts) {
      this.maxAttempts = positive(attempts, "maxAttempts");
      return this;
    }

    /**
     * First and longest retry delay (defaults 200 ms and 10 s); the delay doubles per attempt.
     *
     * @param initial the first retry delay
     * @param max the longest retry delay
     * @return this builder
     */
    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = nonNegative(initial, "initial");
      this.maxBackoff = nonNegative(max, "max");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("max backoff below initial backoff");
      }
      return this;
    }

    /**
     * How long {@link #close} waits for the queue to drain (default 60 s).
     *
     * @param timeout the longest wait for the queue to drain
     * @return this builder
     */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = nonNegative(timeout, "closeTimeout");
      return this;
    }

    /**
     * Creates the writer thread (default: a daemon thread named {@code dmarcj-report-writer}).
     *
     * @param factory the thread factory
     * @return this builder
     */
    public Builder threadFactory(ThreadFactory factory) {
      this.threadFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Opens the database, creates the schema if absent and starts the writer.
     *
     * @return the running store
     * @throws SQLException if the database cannot be reached or holds an unknown schema version
     */
    public JdbcReportStore build() throws SQLException {
      return new JdbcReportStore(this);
    }

    private static int positive(int v, String name) {
      if (v < 1) {
        throw new IllegalArgumentException(name + " must be positive: " + v);
      }
      return v;
    }

    private static Duration nonNegative(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative: " + d);
      }
      return d;
    }
  }

  /** A minimal data source over {@link DriverManager}. */
  private static final class UrlDataSource implements DataSource {
    private final String url;
    private final @Nullable String user;
    private final @Nullable String password;

    UrlDataSource(String url, @Nullable String user, @Nullable String password) {
      this.url = url;
      this.user = user;
      this.password = password;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return user == null
          ? DriverManager.getConnection(url)
          : DriverManager.getConnection(url, user, password);
    }

    @Override
    public Connection getConnection(String u, String p) throws SQLException {
      return DriverManager.getConnection(url, u, p);
    }

    @Override
    public PrintWriter getLogWriter() {
      return DriverManager.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) {
      DriverManager.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) {
      DriverManager.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
      return DriverManager.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
