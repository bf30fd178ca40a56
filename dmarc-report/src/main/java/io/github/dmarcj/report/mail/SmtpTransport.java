// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.mail;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.jspecify.annotations.Nullable;

/**
 * Delivers report mails to an SMTP relay (Jakarta Mail with Angus's SMTP provider), one connection
 * per mail, the mail's bytes unchanged (so a DKIM signature stays valid). The relay's reply decides
 * the {@link MailTransport.Delivery}: 2xx accepted, 4xx and every connection, timeout, TLS or login
 * failure temporary, 5xx permanent.
 *
 * @since 0.1.0
 */
public final class SmtpTransport implements MailTransport {
  /** Whether the connection must be encrypted with STARTTLS (RFC 3207). */
  public enum StartTls {
    /** Use STARTTLS and refuse to send when the relay does not offer it. */
    REQUIRED,
    /** Use STARTTLS when the relay offers it. */
    OPPORTUNISTIC,
    /** Never use STARTTLS (a relay on the same host). */
    OFF
  }

  private final Session session;
  private final String host;
  private final int port;
  private final Optional<String> user;
  private final Optional<String> password;

  private SmtpTransport(Builder b) {
    Properties p = new Properties();
    p.setProperty("mail.smtp.host", b.host);
    p.setProperty("mail.smtp.port", Integer.toString(b.port));
    p.setProperty("mail.smtp.connectiontimeout", Long.toString(b.connectTimeout.toMillis()));
    p.setProperty("mail.smtp.timeout", Long.toString(b.timeout.toMillis()));
    p.setProperty("mail.smtp.writetimeout", Long.toString(b.timeout.toMillis()));
    p.setProperty("mail.smtp.starttls.enable", Boolean.toString(b.startTls != StartTls.OFF));
    p.setProperty("mail.smtp.starttls.required", Boolean.toString(b.startTls == StartTls.REQUIRED));
    p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
    p.setProperty("mail.smtp.auth", Boolean.toString(b.user != null));
    b.heloName.ifPresent(h -> p.setProperty("mail.smtp.localhost", h));
    this.session = Session.getInstance(p);
    this.host = b.host;
    this.port = b.port;
    this.user = Optional.ofNullable(b.user);
    this.password = Optional.ofNullable(b.password);
  }

  /**
   * {@return a builder}
   *
   * @param host the relay's host name or address
   * @param port the relay's port (25, or 587 for submission)
   */
  public static Builder builder(String host, int port) {
    return new Builder(host, port);
  }

  @Override
  public Delivery send(String from, String to, byte[] mail) {
    Transport t = null;
    try {
      SMTPMessage m = new SMTPMessage(session, new ByteArrayInputStream(mail));
      m.setEnvelopeFrom(from);
      Address[] rcpt = {new InternetAddress(to, true)};
      t = session.getTransport("smtp");
      if (user.isPresent()) {
        t.connect(host, port, user.get(), password.orElse(""));
      } else {
        t.connect();
      }
      // sendMessage, unlike Transport.send, does not call saveChanges: the bytes go out as built.
      t.sendMessage(m, rcpt);
      return new Delivery.Accepted(lastReply(t).orElse("250 accepted"));
    } catch (AuthenticationFailedException e) {
      return new Delivery.Transient("the relay refused the login: " + message(e));
    } catch (MessagingException e) {
      int code = replyCode(e);
      String detail = (code > 0 ? "" : "to " + host + ":" + port + ": ") + message(e);
      return code >= 500 && code < 600
          ? new Delivery.Permanent(detail)
          : new Delivery.Transient(detail);
    } catch (RuntimeException e) {
      return new Delivery.Transient("to " + host + ":" + port + ": " + e);
    } finally {
      if (t != null) {
        try {
          t.close();
        } catch (MessagingException e) {
          // the mail's fate is known; a failed QUIT changes nothing
        }
      }
    }
  }

  /** The first SMTP reply code in the exception chain, or 0 when none was received. */
  static int replyCode(MessagingException e) {
    for (Exception x = e; x != null; ) {
      int code = returnCode(x);
      if (code > 0) {
        return code;
      }
      if (x instanceof SendFailedException s
          && s.getNextException() != null
          && s.getNextException() != x) {
        x = s.getNextException();
      } else if (x instanceof MessagingException m
          && m.getNextException() != null
          && m.getNextException() != x) {
        x = m.getNextException();
      } else {
        x = null;
      }
    }
    return 0;
  }

  private static int returnCode(Exception x) {
    if (x instanceof SMTPSendFailedException s) {
      return s.getReturnCode();
    }
    if (x instanceof SMTPAddressFailedException a) {
      return a.getReturnCode();
    }
    return 0;
  }

  private static Optional<String> lastReply(Transport t) {
    String r = t instanceof SMTPTransport s ? s.getLastServerResponse() : null;
    return r == null || r.isBlank() ? Optional.empty() : Optional.of(r.strip());
  }

  private static String message(Exception e) {
    StringBuilder b = new StringBuilder();
    for (Throwable x = e;
        x != null && b.length() < 500;
        x = x.getCause() == x ? null : x.getCause()) {
      String m = x.getMessage();
      if (m != null && !m.isBlank() && b.indexOf(m.strip()) < 0) {
        b.append(b.length() == 0 ? "" : ": ").append(m.strip());
      }
    }
    return b.length() == 0 ? e.getClass().getSimpleName() : b.toString().replaceAll("\\s+", " ");
  }

  /** Settings of an {@link SmtpTransport}. */
  public static final class Builder {
    private final String host;
    private final int port;
    private StartTls startTls = StartTls.OPPORTUNISTIC;
    private @Nullable String user;
    private @Nullable String password;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private Duration timeout = Duration.ofMinutes(2);
    private Optional<String> heloName = Optional.empty();

    private Builder(String host, int port) {
      this.host = Objects.requireNonNull(host, "host");
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("port must be 1-65535, was " + port);
      }
      this.port = port;
    }

    /**
     * Sets the STARTTLS mode (default {@link StartTls#OPPORTUNISTIC}).
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder startTls(StartTls mode) {
      this.startTls = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Logs in with SMTP AUTH.
     *
     * @param user the user name
     * @param password the password
     * @return this builder
     */
    public Builder login(String user, String password) {
      this.user = Objects.requireNonNull(user, "user");
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * Sets the connect timeout (default 30 s) and the timeout of each read and write (default 120
     * s).
     *
     * @param connect the connect timeout
     * @param io the read and write timeout
     * @return this builder
     */
    public Builder timeouts(Duration connect, Duration io) {
      this.connectTimeout = Objects.requireNonNull(connect, "connect");
      this.timeout = Objects.requireNonNull(io, "io");
      return this;
    }

    /**
     * Sets the name given in EHLO (default: this host's name).
     *
     * @param name the name
     * @return this builder
     */
    public Builder heloName(String name) {
      this.heloName = Optional.of(name);
      return this;
    }

    /** {@return the transport} */
    public SmtpTransport build() {
      return new SmtpTransport(this);
    }
  }
}
