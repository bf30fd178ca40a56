// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.mail;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Objects;

/**
 * A dry run: writes each mail to a folder as {@code <recipient>.<n>.eml} instead of sending it. A
 * file appears whole or not at all (written to a temporary name, then renamed).
 *
 * @since 0.1.0
 */
public final class DirectoryTransport implements MailTransport {
  private final Path dir;

  /**
   * Writes into {@code dir}, which is created when absent.
   *
   * @param dir the folder
   */
  public DirectoryTransport(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  @Override
  public synchronized Delivery send(String from, String to, byte[] mail) {
    try {
      Files.createDirectories(dir);
      String base = to.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9@._+-]", "_");
      Path file;
      int n = 1;
      do {
        file = dir.resolve(base + "." + n++ + ".eml");
      } while (Files.exists(file));
      Path tmp = Files.createTempFile(dir, ".report", ".tmp");
      Files.write(tmp, mail);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file);
      }
      return new Delivery.Accepted("written to " + file);
    } catch (IOException | RuntimeException e) {
      return new Delivery.Transient("cannot write into " + dir + ": " + e);
    }
  }
}
