// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.mail;

/**
 * Hands a report mail to the next hop: an SMTP relay ({@link SmtpTransport}) or a folder ({@link
 * DirectoryTransport}, a dry run). Implementations never throw for what the relay or the network
 * does; they say it in the {@link Delivery}.
 *
 * @since 0.1.0
 */
public interface MailTransport {
  /**
   * Delivers one mail.
   *
   * @param from the envelope sender (the reporting address)
   * @param to the one recipient
   * @param mail the whole mail, CRLF line endings
   * @return what became of it
   */
  Delivery send(String from, String to, byte[] mail);

  /** What became of one mail. */
  sealed interface Delivery {
    /** {@return the relay's reply or the reason, for the ledger and the operator} */
    String detail();

    /**
     * The next hop took responsibility for the mail (SMTP 250 after DATA, or the file is written).
     *
     * @param detail the reply, or where the file went
     */
    record Accepted(String detail) implements Delivery {}

    /**
     * Worth retrying later: a 4xx reply, a refused or dropped connection, a timeout.
     *
     * @param detail the reply or the failure
     */
    record Transient(String detail) implements Delivery {}

    /**
     * Not worth retrying for this period: a 5xx reply (unknown mailbox, rejected content).
     *
     * @param detail the reply
     */
    record Permanent(String detail) implements Delivery {}
  }
}
