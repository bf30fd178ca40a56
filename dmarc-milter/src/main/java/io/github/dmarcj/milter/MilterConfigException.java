// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.milter;

/**
 * A configuration file the milter cannot use: an unknown key, a bad value, an unreadable file. The
 * message names the file, the line and the key.
 *
 * @since 0.1.0
 */
public final class MilterConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with its message.
   *
   * @param message what is wrong, and where
   */
  public MilterConfigException(String message) {
    super(message);
  }
}
