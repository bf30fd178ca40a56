// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * An H2 data source for tests with fault injection: the next {@code k} commits can be made to
 * throw, and connections can be held back until a latch opens.
 */
final class TestDataSource implements DataSource {
  private final String url;
  final AtomicInteger failCommits = new AtomicInteger();
  final AtomicInteger commits = new AtomicInteger();
  volatile CountDownLatch gate = new CountDownLatch(0);

  /** Counted down by the first call that finds the gate closed. */
  final CountDownLatch atGate = new CountDownLatch(1);

  TestDataSource(String url) {
    this.url = url;
  }

  /** A private in-memory database that lives until the JVM exits. */
  static TestDataSource memory(String name) {
    return new TestDataSource("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
  }

  String url() {
    return url;
  }

  @Override
  public Connection getConnection() throws SQLException {
    CountDownLatch g = gate;
    if (g.getCount() > 0) {
      atGate.countDown();
    }
    try {
      if (!g.await(30, TimeUnit.SECONDS)) {
        throw new SQLTransientConnectionException("gate stayed closed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLTransientConnectionException("interrupted", e);
    }
    Connection real = DriverManager.getConnection(url);
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("commit")) {
                if (failCommits.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                  throw new SQLTransientConnectionException("injected commit failure");
                }
                commits.incrementAndGet();
              }
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return getConnection();
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() {
    return Logger.getLogger("test");
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
