// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.message;

import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.domain.InvalidDomainNameException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The Author Domain(s) of a message: the domains of the addresses in its RFC5322.From field (RFC
 * 9989 §5.3.1, RFC 7489 §3.1.1), with a {@link FromStatus} that says whether there is exactly one.
 *
 * <p>Only the address counts, never the display name: {@code "ceo@bank.example" <x@evil.example>}
 * has Author Domain {@code evil.example} (RFC 9989 §11.4). Domains are normalised by {@link
 * DomainName} (U-labels become A-labels, lower case, one trailing dot dropped; RFC 8616 §6). This
 * never picks one domain out of several: with any status other than {@link FromStatus#OK}, {@link
 * #domain()} is empty and {@link #domains()} lists every distinct valid domain found, in order, so
 * a receiver may evaluate each (RFC 7489 §6.6.1).
 *
 * <pre>{@code
 * AuthorDomains from = AuthorDomains.of(parsedHeader);
 * if (from.status() == FromStatus.OK) {
 *   DomainName author = from.domain().orElseThrow();
 * }
 * }</pre>
 *
 * @param status whether there is exactly one Author Domain
 * @param domains the distinct valid domains found, in order of appearance
 * @param mailboxes every address read from the From field(s), in order
 * @param detail a short human-readable explanation for logs; empty for {@link FromStatus#OK}
 * @since 0.1.0
 */
public record AuthorDomains(
    FromStatus status, List<DomainName> domains, List<Mailbox> mailboxes, String detail) {
  /** Name of the field read. */
  public static final String FROM = "From";

  /**
   * Checks the components (status {@code OK} needs exactly one domain); copies the lists.
   *
   * @param status whether there is exactly one Author Domain
   * @param domains the distinct valid domains found, in order of appearance
   * @param mailboxes every address read from the From field(s), in order
   * @param detail a short human-readable explanation for logs; empty for {@link FromStatus#OK}
   */
  public AuthorDomains {
    Objects.requireNonNull(status, "status");
    domains = List.copyOf(domains);
    mailboxes = List.copyOf(mailboxes);
    Objects.requireNonNull(detail, "detail");
    if (status == FromStatus.OK && domains.size() != 1) {
      throw new IllegalArgumentException("OK needs exactly one domain, got " + domains);
    }
  }

  /**
   * {@return the Author Domains of a parsed header} Every From field counts, also those a header
   * limit left out of {@link ParsedHeader#fields()} ({@link ParsedHeader#fromFields()}): a From
   * field that could not be kept, or a header too long to search to its end, makes the status
   * {@link FromStatus#UNPARSEABLE} (one From field) or {@link FromStatus#MULTIPLE_FIELDS}; it never
   * leaves another From field standing alone.
   *
   * @param header the parsed header of the message
   */
  public static AuthorDomains of(ParsedHeader header) {
    List<HeaderField> from = header.fromFields();
    int count = header.fromFieldCount();
    if (count == from.size() && header.fromScanComplete()) {
      return ofFields(from);
    }
    if (count > 1) {
      AuthorDomains known = ofFields(from);
      return new AuthorDomains(
          FromStatus.MULTIPLE_FIELDS,
          known.domains(),
          known.mailboxes(),
          count + " From fields, " + (count - from.size()) + " too large to read");
    }
    return new AuthorDomains(
        FromStatus.UNPARSEABLE,
        List.of(),
        List.of(),
        header.fromScanComplete()
            ? "From field too large to read"
            : "header too large to search to its end for From");
  }

  /**
   * {@return the Author Domains given the message's From fields, top to bottom}
   *
   * @param fromFields the fields named From (the caller selects them)
   */
  public static AuthorDomains ofFields(List<HeaderField> fromFields) {
    if (fromFields.isEmpty()) {
      return new AuthorDomains(FromStatus.MISSING, List.of(), List.of(), "no From field");
    }
    if (fromFields.size() > 1) {
      List<Mailbox> all = new ArrayList<>();
      Set<DomainName> domains = new LinkedHashSet<>();
      for (HeaderField f : fromFields) {
        AddressListParser.Result r = AddressListParser.parse(f.value());
        all.addAll(r.mailboxes());
        for (Mailbox m : r.mailboxes()) {
          domainOf(m).ifPresent(domains::add);
        }
      }
      return new AuthorDomains(
          FromStatus.MULTIPLE_FIELDS,
          List.copyOf(domains),
          all,
          fromFields.size() + " From fields");
    }
    return ofValue(fromFields.get(0).value());
  }

  /**
   * {@return the Author Domains of a single From field, given its unfolded value (after the colon)}
   *
   * @param value the unfolded field value
   */
  public static AuthorDomains ofValue(String value) {
    AddressListParser.Result r = AddressListParser.parse(value);
    if (r.error().isPresent()) {
      return new AuthorDomains(FromStatus.UNPARSEABLE, List.of(), List.of(), r.error().get());
    }
    List<Mailbox> boxes = r.mailboxes();
    if (boxes.isEmpty()) {
      return new AuthorDomains(FromStatus.NO_ADDRESS, List.of(), List.of(), "no address");
    }
    if (boxes.size() > 1) {
      Set<DomainName> domains = new LinkedHashSet<>();
      for (Mailbox m : boxes) {
        domainOf(m).ifPresent(domains::add);
      }
      return new AuthorDomains(
          FromStatus.MULTIPLE_ADDRESSES, List.copyOf(domains), boxes, boxes.size() + " addresses");
    }
    Mailbox m = boxes.get(0);
    if (m.domainLiteral()) {
      return new AuthorDomains(
          FromStatus.DOMAIN_LITERAL, List.of(), boxes, "domain literal [" + m.domain() + "]");
    }
    Optional<DomainName> d = domainOf(m);
    if (d.isEmpty()) {
      return new AuthorDomains(
          FromStatus.INVALID_DOMAIN, List.of(), boxes, "not a domain name: " + m.domain());
    }
    return new AuthorDomains(FromStatus.OK, List.of(d.get()), boxes, "");
  }

  /**
   * {@return the single Author Domain; present exactly when {@link #status()} is {@link
   * FromStatus#OK}}
   */
  public Optional<DomainName> domain() {
    return status == FromStatus.OK ? Optional.of(domains.get(0)) : Optional.empty();
  }

  /**
   * The domain of a mailbox if it is a host name: letters, digits, hyphens and underscores in
   * non-empty labels, or non-ASCII labels that IDNA accepts. Rejects what RFC 5322 atext would
   * allow but no DNS name for mail holds, such as the {@code ?=} tail of an encoded word.
   */
  static Optional<DomainName> domainOf(Mailbox m) {
    if (m.domainLiteral()) {
      return Optional.empty();
    }
    String d = m.domain();
    for (int k = 0; k < d.length(); k++) {
      char c = d.charAt(k);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.'
              || (c >= 0x80 && c != '\uFFFD');
      if (!ok) {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(DomainName.of(d));
    } catch (InvalidDomainNameException e) {
      return Optional.empty();
    }
  }
}
