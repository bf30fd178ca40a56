// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.domain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The Public Suffix List (<a href="https://publicsuffix.org/list/">publicsuffix.org</a>) and its
 * matching algorithm, used by RFC 7489 §3.2 to find Organizational Domains.
 *
 * <p>Rules are read as the list's format describes: one rule per line up to the first whitespace,
 * {@code //} comments, {@code *.} wildcard rules, {@code !} exception rules, and the ICANN and
 * PRIVATE sections marked by {@code ===BEGIN ICANN DOMAINS===} and {@code ===BEGIN PRIVATE
 * DOMAINS===} comments. Rules outside any section count as ICANN rules. U-labels are stored as
 * A-labels, so a name matches in either form.
 *
 * <p>Matching follows the list's algorithm: the rule matching the most labels prevails, an
 * exception rule prevails over all others and its public suffix is the rule minus its left-most
 * label, and when nothing matches the implicit rule {@code *} makes the top-level label the public
 * suffix. By default both sections are used, as the list's algorithm says; {@link
 * #withSections(Sections)} gives a view that ignores the PRIVATE section (then {@code
 * foo.blogspot.com} has registrable domain {@code blogspot.com}).
 *
 * <p>A lookup is one hash probe per label of the name, right to left, and stops at the first suffix
 * no rule ends with. Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * PublicSuffixList psl = PublicSuffixList.bundled();
 * psl.registrableDomain(DomainName.of("www.example.co.uk"));  // example.co.uk
 * psl.publicSuffix(DomainName.of("www.example.co.uk"));       // co.uk
 * }</pre>
 *
 * @since 0.1.0
 */
public final class PublicSuffixList {
  /** Which sections of the list take part in matching. */
  public enum Sections {
    /** ICANN and PRIVATE rules, as the list's algorithm specifies. */
    ALL,
    /** Only the ICANN section; PRIVATE rules (hosting and cloud providers) are ignored. */
    ICANN_ONLY
  }

  /** Default largest list {@link #read(InputStream, String)} accepts: 16 MiB. */
  public static final int DEFAULT_MAX_BYTES = 16 << 20;

  /** Git commit of the bundled snapshot of publicsuffix/list. */
  public static final String BUNDLED_COMMIT = "e8c9a2b2b2856b6449999dd0ec0d118f364ed0cd";

  /** Class-path location of the bundled snapshot; its LICENSE and SOURCE.md sit beside it. */
  static final String BUNDLED_RESOURCE = "publicsuffix/public_suffix_list.dat";

  private static final int NORMAL_ICANN = 1;
  private static final int NORMAL_PRIVATE = 2;
  private static final int WILD_ICANN = 4;
  private static final int WILD_PRIVATE = 8;
  private static final int EXC_ICANN = 16;
  private static final int EXC_PRIVATE = 32;
  private static final int NORMAL = NORMAL_ICANN | NORMAL_PRIVATE;
  private static final int WILD = WILD_ICANN | WILD_PRIVATE;
  private static final int EXC = EXC_ICANN | EXC_PRIVATE;
  private static final int MASK_ALL = NORMAL | WILD | EXC;
  private static final int MASK_ICANN = NORMAL_ICANN | WILD_ICANN | EXC_ICANN;

  /**
   * Every suffix of every rule, A-label form, mapped to the rule kinds it carries; a suffix that is
   * only part of longer rules maps to 0. For a wildcard rule {@code *.x} the entry is {@code x}.
   */
  private final Map<String, Integer> nodes;

  private final int mask;
  private final Sections sections;
  private final PublicSuffixListVersion version;

  private PublicSuffixList(
      Map<String, Integer> nodes, Sections sections, PublicSuffixListVersion version) {
    this.nodes = nodes;
    this.sections = sections;
    this.mask = sections == Sections.ALL ? MASK_ALL : MASK_ICANN;
    this.version = version;
  }

  /** Holder for the lazily parsed bundled snapshot. */
  private static final class Bundled {
    static final PublicSuffixList LIST = load();

    private static PublicSuffixList load() {
      try (InputStream in = PublicSuffixList.class.getResourceAsStream(BUNDLED_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(
              "bundled public suffix list missing: " + BUNDLED_RESOURCE);
        }
        return parse(in.readAllBytes(), "bundled", Optional.of(BUNDLED_COMMIT)).orElseThrow();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * {@return the snapshot bundled with this library (commit {@value #BUNDLED_COMMIT}), both
   * sections} The list changes weekly; load a fresh one with {@link ReloadablePublicSuffixList}
   * where that matters.
   */
  public static PublicSuffixList bundled() {
    return Bundled.LIST;
  }

  /**
   * Reads a list of at most {@value #DEFAULT_MAX_BYTES} bytes from {@code in}, to its end. The
   * stream is not closed.
   *
   * @param in the stream to read
   * @param source a name for {@link PublicSuffixListVersion#source()}
   * @return the list, or why it could not be used
   */
  public static PublicSuffixListLoad read(InputStream in, String source) {
    return read(in, source, DEFAULT_MAX_BYTES);
  }

  /**
   * Reads a list of at most {@code maxBytes} bytes from {@code in}, to its end.
   *
   * @param in the stream to read
   * @param source a name for {@link PublicSuffixListVersion#source()}
   * @param maxBytes the largest list accepted
   * @return the list, or why it could not be used
   */
  public static PublicSuffixListLoad read(InputStream in, String source, int maxBytes) {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(source, "source");
    requirePositive(maxBytes);
    byte[] bytes;
    try {
      bytes = in.readNBytes(maxBytes + 1 > 0 ? maxBytes + 1 : maxBytes);
    } catch (IOException e) {
      return new PublicSuffixListLoad.Failed(PublicSuffixListLoad.Reason.IO_ERROR, e.toString());
    }
    if (bytes.length > maxBytes) {
      return new PublicSuffixListLoad.Failed(
          PublicSuffixListLoad.Reason.TOO_LARGE, "more than " + maxBytes + " bytes from " + source);
    }
    return parse(bytes, source, Optional.empty());
  }

  /**
   * Reads a list file of at most {@value #DEFAULT_MAX_BYTES} bytes.
   *
   * @param file the list file
   * @return the list, or why it could not be used
   */
  public static PublicSuffixListLoad read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString(), DEFAULT_MAX_BYTES);
    } catch (IOException e) {
      return new PublicSuffixListLoad.Failed(PublicSuffixListLoad.Reason.IO_ERROR, e.toString());
    }
  }

  /**
   * {@return a list from its text, for lists written in code or configuration}
   *
   * @param text the list in the format of {@code public_suffix_list.dat}
   * @throws IllegalArgumentException if the text is not a valid list
   */
  public static PublicSuffixList of(String text) {
    PublicSuffixListLoad load =
        parse(text.getBytes(StandardCharsets.UTF_8), "text", Optional.empty());
    if (load instanceof PublicSuffixListLoad.Failed f) {
      throw new IllegalArgumentException(
          "not a public suffix list (" + f.reason() + "): " + f.detail());
    }
    return ((PublicSuffixListLoad.Loaded) load).list();
  }

  static void requirePositive(int maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maximum bytes must be positive, was " + maxBytes);
    }
  }

  static PublicSuffixListLoad parse(byte[] bytes, String source, Optional<String> commit) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      return new PublicSuffixListLoad.Failed(
          PublicSuffixListLoad.Reason.NOT_UTF8, source + " is not UTF-8 text");
    }
    Map<String, Integer> nodes = new HashMap<>(Math.max(16, bytes.length / 16));
    boolean privateSection = false;
    String versionLine = null;
    String commitLine = null;
    int rules = 0;
    int lineNo = 0;
    int pos = 0;
    int n = text.length();
    while (pos < n) {
      int eol = text.indexOf('\n', pos);
      if (eol < 0) {
        eol = n;
      }
      lineNo++;
      String line = text.substring(pos, eol);
      pos = eol + 1;
      if (line.startsWith("//")) {
        if (line.contains("===BEGIN PRIVATE DOMAINS===")) {
          privateSection = true;
        } else if (line.contains("===END PRIVATE DOMAINS===")
            || line.contains("===BEGIN ICANN DOMAINS===")) {
          privateSection = false;
        } else if (versionLine == null && line.startsWith("// VERSION:")) {
          versionLine = line.substring("// VERSION:".length()).trim();
        } else if (commitLine == null && line.startsWith("// COMMIT:")) {
          commitLine = line.substring("// COMMIT:".length()).trim();
        }
        continue;
      }
      int ws = 0;
      while (ws < line.length() && !Character.isWhitespace(line.charAt(ws))) {
        ws++;
      }
      String rule = line.substring(0, ws);
      if (rule.isEmpty()) {
        continue;
      }
      String error = addRule(nodes, rule, privateSection);
      if (error != null) {
        return new PublicSuffixListLoad.Failed(
            PublicSuffixListLoad.Reason.INVALID_RULE,
            source + " line " + lineNo + ": " + error + ": " + abbreviate(rule));
      }
      rules++;
    }
    if (rules == 0) {
      return new PublicSuffixListLoad.Failed(
          PublicSuffixListLoad.Reason.NO_RULES, source + " holds no rules");
    }
    PublicSuffixListVersion version =
        new PublicSuffixListVersion(
            source,
            Optional.ofNullable(versionLine),
            commitLine != null ? Optional.of(commitLine) : commit,
            sha256(bytes),
            rules);
    return new PublicSuffixListLoad.Loaded(
        new PublicSuffixList(Map.copyOf(nodes), Sections.ALL, version));
  }

  /** Adds one rule; returns why it is invalid, or null. */
  private static @Nullable String addRule(
      Map<String, Integer> nodes, String rule, boolean privateSection) {
    int kind;
    String body;
    if (rule.startsWith("!")) {
      kind = privateSection ? EXC_PRIVATE : EXC_ICANN;
      body = rule.substring(1);
    } else if (rule.startsWith("*.")) {
      kind = privateSection ? WILD_PRIVATE : WILD_ICANN;
      body = rule.substring(2);
    } else if (rule.equals("*")) {
      return null; // the implicit default rule, written out
    } else {
      kind = privateSection ? NORMAL_PRIVATE : NORMAL_ICANN;
      body = rule;
    }
    for (int k = 0; k < body.length(); k++) {
      char c = body.charAt(k);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.'
              || c > 0x7F;
      if (!ok) {
        return c == '*' ? "wildcard not at the left" : "invalid character";
      }
    }
    if (body.endsWith(".")) {
      return "trailing dot";
    }
    DomainName name;
    try {
      name = DomainName.of(body);
    } catch (InvalidDomainNameException e) {
      return "not a domain name (" + e.reason() + ")";
    }
    if (kind == EXC_ICANN || kind == EXC_PRIVATE) {
      if (name.labelCount() < 2) {
        return "exception rule of one label";
      }
    }
    String s = name.name();
    nodes.merge(s, kind, (a, b) -> a | b);
    int dot = s.indexOf('.');
    while (dot >= 0) {
      s = s.substring(dot + 1);
      nodes.putIfAbsent(s, 0);
      dot = s.indexOf('.');
    }
    return null;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  /**
   * {@return this list restricted to {@code sections}; shares the rules, costs nothing}
   *
   * @param sections the sections to match against
   */
  public PublicSuffixList withSections(Sections sections) {
    Objects.requireNonNull(sections, "sections");
    return sections == this.sections ? this : new PublicSuffixList(nodes, sections, version);
  }

  /** {@return which sections take part in matching} */
  public Sections sections() {
    return sections;
  }

  /** {@return where this list came from and which revision it is} */
  public PublicSuffixListVersion version() {
    return version;
  }

  /**
   * Index in {@code name} where the public suffix starts: 0 when the whole name is a public suffix,
   * otherwise just after a dot.
   */
  private int publicSuffixStart(String name) {
    int len = name.length();
    int start = name.lastIndexOf('.') + 1;
    int prevStart = len;
    int best = -1;
    while (true) {
      String suffix = start == 0 ? name : name.substring(start);
      Integer found = nodes.get(suffix);
      if (found == null) {
        break;
      }
      int f = found & mask;
      if ((f & EXC) != 0) {
        return prevStart; // the exception's parent, whatever longer rules say
      }
      if ((f & NORMAL) != 0 && (best < 0 || start < best)) {
        best = start;
      }
      if (start == 0) {
        break;
      }
      int leftStart = name.lastIndexOf('.', start - 2) + 1;
      if ((f & WILD) != 0 && (best < 0 || leftStart < best)) {
        best = leftStart;
      }
      prevStart = start;
      start = leftStart;
    }
    if (best < 0) {
      best = name.lastIndexOf('.') + 1; // the implicit "*" rule: the top-level label
    }
    return best;
  }

  /**
   * {@return the public suffix of {@code domain}; the domain itself if it is a public suffix}
   *
   * @param domain a domain name
   */
  public DomainName publicSuffix(DomainName domain) {
    return domain.suffixFrom(publicSuffixStart(domain.name()));
  }

  /**
   * {@return true if {@code domain} is itself a public suffix ({@code com}, {@code co.uk})}
   *
   * @param domain a domain name
   */
  public boolean isPublicSuffix(DomainName domain) {
    return publicSuffixStart(domain.name()) == 0;
  }

  /**
   * {@return the registrable domain: the public suffix plus one label} Empty when {@code domain} is
   * itself a public suffix.
   *
   * @param domain a domain name
   */
  public Optional<DomainName> registrableDomain(DomainName domain) {
    String name = domain.name();
    int ps = publicSuffixStart(name);
    if (ps == 0) {
      return Optional.empty();
    }
    return Optional.of(domain.suffixFrom(name.lastIndexOf('.', ps - 2) + 1));
  }

  /**
   * {@return the Organizational Domain by RFC 7489 §3.2: the public suffix plus one label, or the
   * domain itself when it is a public suffix (it then has no domain above it it could belong to)}
   *
   * @param domain a domain name
   */
  public DomainName organizationalDomain(DomainName domain) {
    return registrableDomain(domain).orElse(domain);
  }

  /**
   * {@return an {@link OrganizationalDomainFinder} over this list; it answers at once with {@link
   * DiscoveryMethod#PSL} and never fails}
   */
  public OrganizationalDomainFinder organizationalDomainFinder() {
    return domain ->
        CompletableFuture.completedFuture(
            new OrganizationalDomainOutcome.Found(
                organizationalDomain(domain), DiscoveryMethod.PSL, Optional.of(version)));
  }

  @Override
  public String toString() {
    return "PublicSuffixList[" + version + ", " + sections + "]";
  }
}
