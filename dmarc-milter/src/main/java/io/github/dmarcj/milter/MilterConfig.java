// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.milter;

import io.github.dmarcj.dmarc.DmarcMode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The milter's settings, read from a configuration file of {@code Key value} lines ({@code #}
 * starts a comment; keys ignore case) and overridden by command-line flags. Keys that mean what
 * they mean in OpenDMARC carry OpenDMARC's names ({@code Socket}, {@code AuthservID}, {@code
 * IgnoreHosts}, {@code IgnoreAuthenticatedClients}, {@code RejectFailures}, {@code FailureReports},
 * {@code Nameservers}). Every key and its default is listed in {@code docs/milter.md}.
 *
 * <p>(Over 500 lines on purpose: one getter, one builder method and one parsing case per documented
 * key, each with its default; splitting them would scatter one file format over several classes.)
 *
 * @since 0.1.0
 */
public final class MilterConfig {
  /** Default {@code Socket}: TCP port 8893 on the loopback address. */
  public static final String DEFAULT_SOCKET = "inet:8893@127.0.0.1";

  /** Default {@code ControlSocket}: TCP port 8894 on the loopback address. */
  public static final String DEFAULT_CONTROL_SOCKET = "inet:8894@127.0.0.1";

  /** Default {@code MessageTimeout}: the longest the MTA waits for any one reply, 10 s. */
  public static final Duration DEFAULT_MESSAGE_TIMEOUT = Duration.ofSeconds(10);

  /** Default {@code DNSTimeout}: one DNS query attempt, 3 s. */
  public static final Duration DEFAULT_DNS_TIMEOUT = Duration.ofSeconds(3);

  /** Default {@code ShutdownTimeout}: how long a stop waits for messages in flight, 30 s. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

  /** Default {@code MaxConnections}: MTA connections served at once. */
  public static final int DEFAULT_MAX_CONNECTIONS = 256;

  /** Default {@code RejectText}; {@code {domain}} becomes the From domain. */
  public static final String DEFAULT_REJECT_TEXT =
      "Message rejected by the DMARC policy of {domain}";

  /** Default {@code QuarantineHeader}. */
  public static final String DEFAULT_QUARANTINE_HEADER = "X-DMARC-Quarantine";

  /** What to do with a message whose DMARC disposition is quarantine. */
  public enum QuarantineAction {
    /** Ask the MTA to put it on hold (the milter quarantine action; Postfix's hold queue). */
    HOLD,
    /** Deliver it with the {@code QuarantineHeader} field added, for the mailbox to file. */
    HEADER,
    /** Deliver it with the Authentication-Results field only. */
    NONE
  }

  /** What to do when no verdict is ready in time or the check failed inside the milter. */
  public enum FallbackAction {
    /** Accept, with {@code dmarc=temperror} in Authentication-Results. */
    ACCEPT,
    /** Answer 451 4.7.1: the sending server tries again later. */
    TEMPFAIL
  }

  private final SocketSpec socket;
  private final Optional<SocketSpec> controlSocket;
  private final String authservId;
  private final List<Cidr> ignoreHosts;
  private final boolean ignoreAuthenticatedClients;
  private final boolean rejectFailures;
  private final String rejectText;
  private final QuarantineAction quarantineAction;
  private final String quarantineHeader;
  private final FallbackAction fallbackAction;
  private final Duration messageTimeout;
  private final Duration dnsTimeout;
  private final List<String> nameservers;
  private final Optional<String> reportDatabase;
  private final boolean failureReports;
  private final DmarcMode dmarcMode;
  private final int maxConnections;
  private final Duration shutdownTimeout;

  private MilterConfig(Builder b) {
    this.socket = b.socket;
    this.controlSocket = Optional.ofNullable(b.controlSocket);
    this.authservId = b.authservId == null ? defaultAuthservId() : b.authservId;
    this.ignoreHosts = List.copyOf(b.ignoreHosts);
    this.ignoreAuthenticatedClients = b.ignoreAuthenticatedClients;
    this.rejectFailures = b.rejectFailures;
    this.rejectText = b.rejectText;
    this.quarantineAction = b.quarantineAction;
    this.quarantineHeader = b.quarantineHeader;
    this.fallbackAction = b.fallbackAction;
    this.messageTimeout = b.messageTimeout;
    this.dnsTimeout = b.dnsTimeout;
    this.nameservers = List.copyOf(b.nameservers);
    this.reportDatabase = Optional.ofNullable(b.reportDatabase);
    this.failureReports = b.failureReports;
    this.dmarcMode = b.dmarcMode;
    this.maxConnections = b.maxConnections;
    this.shutdownTimeout = b.shutdownTimeout;
  }

  private static String defaultAuthservId() {
    try {
      String h = InetAddress.getLocalHost().getHostName();
      return h.isBlank() ? "localhost" : h;
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** {@return a builder with every default} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@return a builder holding the settings of the configuration file {@code file}}
   *
   * @param file the configuration file (UTF-8)
   * @throws MilterConfigException if the file cannot be read or a line is wrong
   */
  public static Builder read(Path file) throws MilterConfigException {
    Objects.requireNonNull(file, "file");
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new MilterConfigException("cannot read " + file + ": " + e.getMessage());
    }
    return parse(lines, file.toString());
  }

  /**
   * {@return a builder holding the settings of {@code lines}}
   *
   * @param lines the lines of a configuration file
   * @param source the file's name, for messages
   * @throws MilterConfigException if a line is wrong; the message names the line
   */
  public static Builder parse(List<String> lines, String source) throws MilterConfigException {
    Objects.requireNonNull(lines, "lines");
    Objects.requireNonNull(source, "source");
    Builder b = new Builder();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (content.isEmpty()) {
        continue;
      }
      int space = 0;
      while (space < content.length() && !Character.isWhitespace(content.charAt(space))) {
        space++;
      }
      String key = content.substring(0, space);
      String value = content.substring(space).strip();
      try {
        b.set(key, value);
      } catch (IllegalArgumentException e) {
        throw new MilterConfigException(source + " line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return b;
  }

  /** {@return {@code Socket}: where the MTA connects} */
  public SocketSpec socket() {
    return socket;
  }

  /** {@return {@code ControlSocket}: where {@code status} and {@code health} are answered} */
  public Optional<SocketSpec> controlSocket() {
    return controlSocket;
  }

  /** {@return {@code AuthservID}: the authserv-id of Authentication-Results (RFC 8601 §2.5)} */
  public String authservId() {
    return authservId;
  }

  /** {@return {@code IgnoreHosts}: clients whose mail is accepted without any check} */
  public List<Cidr> ignoreHosts() {
    return ignoreHosts;
  }

  /** {@return {@code IgnoreAuthenticatedClients}: skip SASL-authenticated clients} */
  public boolean ignoreAuthenticatedClients() {
    return ignoreAuthenticatedClients;
  }

  /** {@return {@code RejectFailures}: answer 550 when the disposition is reject} */
  public boolean rejectFailures() {
    return rejectFailures;
  }

  /** {@return {@code RejectText}: the text after {@code 550 5.7.1}} */
  public String rejectText() {
    return rejectText;
  }

  /** {@return {@code QuarantineAction}} */
  public QuarantineAction quarantineAction() {
    return quarantineAction;
  }

  /** {@return {@code QuarantineHeader}: the field added by {@link QuarantineAction#HEADER}} */
  public String quarantineHeader() {
    return quarantineHeader;
  }

  /** {@return {@code FallbackAction}} */
  public FallbackAction fallbackAction() {
    return fallbackAction;
  }

  /** {@return {@code MessageTimeout}: the longest the MTA waits for one reply} */
  public Duration messageTimeout() {
    return messageTimeout;
  }

  /** {@return {@code DNSTimeout}: one DNS query attempt} */
  public Duration dnsTimeout() {
    return dnsTimeout;
  }

  /** {@return {@code Nameservers}: DNS servers to ask, empty for the system's} */
  public List<String> nameservers() {
    return nameservers;
  }

  /** {@return {@code ReportDatabase}: the JDBC URL of the report store, if rows are stored} */
  public Optional<String> reportDatabase() {
    return reportDatabase;
  }

  /** {@return {@code FailureReports}: keep failure reports in the report database} */
  public boolean failureReports() {
    return failureReports;
  }

  /** {@return {@code DMARCMode}: RFC 9989 or RFC 7489} */
  public DmarcMode dmarcMode() {
    return dmarcMode;
  }

  /** {@return {@code MaxConnections}: MTA connections served at once} */
  public int maxConnections() {
    return maxConnections;
  }

  /** {@return {@code ShutdownTimeout}: how long a stop waits for messages in flight} */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** Builder of {@link MilterConfig}; every setting has the default named in its method. */
  public static final class Builder {
    private SocketSpec socket = parseSocket(DEFAULT_SOCKET);
    private @Nullable SocketSpec controlSocket = parseSocket(DEFAULT_CONTROL_SOCKET);
    private @Nullable String authservId;
    private List<Cidr> ignoreHosts = List.of();
    private boolean ignoreAuthenticatedClients = true;
    private boolean rejectFailures = true;
    private String rejectText = DEFAULT_REJECT_TEXT;
    private QuarantineAction quarantineAction = QuarantineAction.HOLD;
    private String quarantineHeader = DEFAULT_QUARANTINE_HEADER;
    private FallbackAction fallbackAction = FallbackAction.ACCEPT;
    private Duration messageTimeout = DEFAULT_MESSAGE_TIMEOUT;
    private Duration dnsTimeout = DEFAULT_DNS_TIMEOUT;
    private List<String> nameservers = List.of();
    private @Nullable String reportDatabase;
    private boolean failureReports;
    private DmarcMode dmarcMode = DmarcMode.RFC9989;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

    private Builder() {}

    private static SocketSpec parseSocket(String s) {
      return SocketSpec.parse(s)
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "not a socket (inet:PORT@HOST, inet:HOST:PORT, unix:/PATH): '" + s + "'"));
    }

    /** Sets one key from the configuration file. */
    void set(String key, String value) {
      switch (key.toLowerCase(Locale.ROOT)) {
        case "socket":
          socket(parseSocket(value));
          break;
        case "controlsocket":
          controlSocket(value.equalsIgnoreCase("none") ? null : parseSocket(value));
          break;
        case "authservid":
          authservId(value);
          break;
        case "ignorehosts":
          ignoreHosts(cidrs(value));
          break;
        case "ignoreauthenticatedclients":
          ignoreAuthenticatedClients(bool(key, value));
          break;
        case "rejectfailures":
          rejectFailures(bool(key, value));
          break;
        case "rejecttext":
          rejectText(value);
          break;
        case "quarantineaction":
          quarantineAction(choice(QuarantineAction.class, key, value));
          break;
        case "quarantineheader":
          quarantineHeader(value);
          break;
        case "fallbackaction":
          fallbackAction(choice(FallbackAction.class, key, value));
          break;
        case "messagetimeout":
          messageTimeout(seconds(key, value));
          break;
        case "dnstimeout":
          dnsTimeout(seconds(key, value));
          break;
        case "nameservers":
          nameservers(words(value));
          break;
        case "reportdatabase":
          reportDatabase(value.isEmpty() ? null : value);
          break;
        case "failurereports":
          failureReports(bool(key, value));
          break;
        case "dmarcmode":
          dmarcMode(choice(DmarcMode.class, key, value));
          break;
        case "maxconnections":
          maxConnections(integer(key, value));
          break;
        case "shutdowntimeout":
          shutdownTimeout(seconds(key, value));
          break;
        default:
          throw new IllegalArgumentException("unknown key '" + key + "'");
      }
    }

    private static List<String> words(String value) {
      List<String> out = new ArrayList<>();
      for (String w : value.split("[,\\s]+")) {
        if (!w.isEmpty()) {
          out.add(w);
        }
      }
      return out;
    }

    private static List<Cidr> cidrs(String value) {
      List<Cidr> out = new ArrayList<>();
      for (String w : words(value)) {
        out.add(
            Cidr.parse(w)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "IgnoreHosts: '" + w + "' is not an address or a CIDR network")));
      }
      return out;
    }

    private static boolean bool(String key, String value) {
      switch (value.toLowerCase(Locale.ROOT)) {
        case "true":
        case "yes":
        case "on":
        case "1":
          return true;
        case "false":
        case "no":
        case "off":
        case "0":
          return false;
        default:
          throw new IllegalArgumentException(
              key + ": expected true or false (yes/no, on/off, 1/0), was '" + value + "'");
      }
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String key, String value) {
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(value)) {
          return e;
        }
      }
      List<String> names = new ArrayList<>();
      for (E e : type.getEnumConstants()) {
        names.add(e.name().toLowerCase(Locale.ROOT));
      }
      throw new IllegalArgumentException(
          key + ": expected one of " + String.join(", ", names) + ", was '" + value + "'");
    }

    private static int integer(String key, String value) {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + ": expected a number, was '" + value + "'");
      }
    }

    private static Duration seconds(String key, String value) {
      String v = value.toLowerCase(Locale.ROOT);
      boolean millis = v.endsWith("ms");
      String n =
          millis
              ? v.substring(0, v.length() - 2)
              : v.endsWith("s") ? v.substring(0, v.length() - 1) : v;
      long amount;
      try {
        amount = Long.parseLong(n.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            key + ": expected seconds (10, 10s) or milliseconds (500ms), was '" + value + "'");
      }
      return millis ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            name + " must be more than 0 and at most one hour, was " + d);
      }
      return d;
    }

    /**
     * Sets {@code Socket} (default {@value #DEFAULT_SOCKET}).
     *
     * @param socket where the MTA connects
     * @return this builder
     */
    public Builder socket(SocketSpec socket) {
      this.socket = Objects.requireNonNull(socket, "socket");
      return this;
    }

    /**
     * Sets {@code ControlSocket} (default {@value #DEFAULT_CONTROL_SOCKET}; {@code none} in the
     * file, null here, for none).
     *
     * @param socket where {@code status} and {@code health} are answered, or null for none
     * @return this builder
     */
    public Builder controlSocket(@Nullable SocketSpec socket) {
      this.controlSocket = socket;
      return this;
    }

    /**
     * Sets {@code AuthservID} (default: this machine's host name).
     *
     * @param authservId the authserv-id written into Authentication-Results
     * @return this builder
     */
    public Builder authservId(String authservId) {
      Objects.requireNonNull(authservId, "authservId");
      if (authservId.isBlank() || authservId.chars().anyMatch(c -> c <= ' ' || c == ';')) {
        throw new IllegalArgumentException(
            "AuthservID must be one word without ';', was '" + authservId + "'");
      }
      this.authservId = authservId;
      return this;
    }

    /**
     * Sets {@code IgnoreHosts} (default: none).
     *
     * @param networks clients accepted without any check
     * @return this builder
     */
    public Builder ignoreHosts(List<Cidr> networks) {
      this.ignoreHosts = List.copyOf(Objects.requireNonNull(networks, "networks"));
      return this;
    }

    /**
     * Sets {@code IgnoreAuthenticatedClients} (default true).
     *
     * @param ignore whether mail from SASL-authenticated clients skips the checks
     * @return this builder
     */
    public Builder ignoreAuthenticatedClients(boolean ignore) {
      this.ignoreAuthenticatedClients = ignore;
      return this;
    }

    /**
     * Sets {@code RejectFailures} (default true).
     *
     * @param reject whether a reject disposition is answered with 550 5.7.1
     * @return this builder
     */
    public Builder rejectFailures(boolean reject) {
      this.rejectFailures = reject;
      return this;
    }

    /**
     * Sets {@code RejectText} (default {@value #DEFAULT_REJECT_TEXT}).
     *
     * @param text the reply text; {@code {domain}} becomes the From domain
     * @return this builder
     */
    public Builder rejectText(String text) {
      Objects.requireNonNull(text, "text");
      if (text.isBlank() || text.chars().anyMatch(c -> c < ' ' || c > '~')) {
        throw new IllegalArgumentException(
            "RejectText must be printable ASCII on one line, was '" + text + "'");
      }
      this.rejectText = text;
      return this;
    }

    /**
     * Sets {@code QuarantineAction} (default {@code hold}).
     *
     * @param action what a quarantine disposition does
     * @return this builder
     */
    public Builder quarantineAction(QuarantineAction action) {
      this.quarantineAction = Objects.requireNonNull(action, "action");
      return this;
    }

    /**
     * Sets {@code QuarantineHeader} (default {@value #DEFAULT_QUARANTINE_HEADER}).
     *
     * @param name the field name added by {@code QuarantineAction header}
     * @return this builder
     */
    public Builder quarantineHeader(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty() || name.chars().anyMatch(c -> c <= ' ' || c > '~' || c == ':')) {
        throw new IllegalArgumentException(
            "QuarantineHeader must be a field name, was '" + name + "'");
      }
      this.quarantineHeader = name;
      return this;
    }

    /**
     * Sets {@code FallbackAction} (default {@code accept}).
     *
     * @param action what happens when no verdict is ready in time
     * @return this builder
     */
    public Builder fallbackAction(FallbackAction action) {
      this.fallbackAction = Objects.requireNonNull(action, "action");
      return this;
    }

    /**
     * Sets {@code MessageTimeout} (default 10 s).
     *
     * @param timeout the longest the MTA waits for one reply
     * @return this builder
     */
    public Builder messageTimeout(Duration timeout) {
      this.messageTimeout = positive("MessageTimeout", timeout);
      return this;
    }

    /**
     * Sets {@code DNSTimeout} (default 3 s).
     *
     * @param timeout one DNS query attempt
     * @return this builder
     */
    public Builder dnsTimeout(Duration timeout) {
      this.dnsTimeout = positive("DNSTimeout", timeout);
      return this;
    }

    /**
     * Sets {@code Nameservers} (default: the system's).
     *
     * @param servers {@code HOST} or {@code HOST:PORT} of each DNS server
     * @return this builder
     */
    public Builder nameservers(List<String> servers) {
      this.nameservers = List.copyOf(Objects.requireNonNull(servers, "servers"));
      return this;
    }

    /**
     * Sets {@code ReportDatabase} (default: none).
     *
     * @param jdbcUrl the report store's JDBC URL, or null to store no rows
     * @return this builder
     */
    public Builder reportDatabase(@Nullable String jdbcUrl) {
      this.reportDatabase = jdbcUrl;
      return this;
    }

    /**
     * Sets {@code FailureReports} (default false).
     *
     * @param keep whether failure reports are kept in the report database
     * @return this builder
     */
    public Builder failureReports(boolean keep) {
      this.failureReports = keep;
      return this;
    }

    /**
     * Sets {@code DMARCMode} (default {@code rfc9989}).
     *
     * @param mode the DMARC specification followed
     * @return this builder
     */
    public Builder dmarcMode(DmarcMode mode) {
      this.dmarcMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Sets {@code MaxConnections} (default {@value #DEFAULT_MAX_CONNECTIONS}).
     *
     * @param max MTA connections served at once; more are closed at once
     * @return this builder
     */
    public Builder maxConnections(int max) {
      if (max < 1 || max > 100_000) {
        throw new IllegalArgumentException("MaxConnections must be 1 to 100000, was " + max);
      }
      this.maxConnections = max;
      return this;
    }

    /**
     * Sets {@code ShutdownTimeout} (default 30 s).
     *
     * @param timeout how long a stop waits for messages in flight
     * @return this builder
     */
    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = positive("ShutdownTimeout", timeout);
      return this;
    }

    /**
     * {@return the configuration}
     *
     * @throws IllegalArgumentException if failure reports are asked for without a database
     */
    public MilterConfig build() {
      if (failureReports && reportDatabase == null) {
        throw new IllegalArgumentException("FailureReports needs ReportDatabase");
      }
      return new MilterConfig(this);
    }
  }
}
