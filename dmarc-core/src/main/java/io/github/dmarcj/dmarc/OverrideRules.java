// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The standard {@link OverrideRule}s. */
final class OverrideRules {
  private OverrideRules() {}

  /** An address block. */
  record Cidr(byte[] network, int prefix, String text) {
    boolean contains(InetAddress ip) {
      byte[] a = ip.getAddress();
      if (a.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (a[full] & mask) == (network[full] & mask);
    }

    static Cidr parse(String text) {
      String t = text.trim();
      int slash = t.indexOf('/');
      String addr = slash < 0 ? t : t.substring(0, slash);
      byte[] bytes =
          io.github.dmarcj.dns.IpLiteral.parse(addr)
              .orElseThrow(
                  () -> new IllegalArgumentException("not an IP address or CIDR block: " + text))
              .getAddress();
      int prefix = bytes.length * 8;
      if (slash >= 0) {
        String p = t.substring(slash + 1);
        if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > bytes.length * 8) {
          throw new IllegalArgumentException("bad prefix length in " + text);
        }
        prefix = Integer.parseInt(p);
      }
      return new Cidr(bytes, prefix, t);
    }
  }

  static OverrideRule networks(Collection<String> cidrs) {
    List<Cidr> blocks = new ArrayList<>();
    for (String c : cidrs) {
      blocks.add(Cidr.parse(c));
    }
    List<Cidr> fixed = List.copyOf(blocks);
    return (input, preliminary) -> {
      if (input.clientIp().isEmpty()) {
        return Optional.empty();
      }
      InetAddress ip = unmap(input.clientIp().get());
      for (Cidr c : fixed) {
        if (c.contains(ip)) {
          return Optional.of(
              new OverrideRule.Decision(
                  DmarcPolicy.NONE,
                  OverrideReason.TRUSTED_FORWARDER,
                  "client " + ip.getHostAddress() + " in " + c.text()));
        }
      }
      return Optional.empty();
    };
  }

  private static InetAddress unmap(InetAddress ip) {
    return io.github.dmarcj.message.SmtpEnvelope.of(ip, "", null).clientIp();
  }

  static OverrideRule forwarderDomains(Collection<String> domains) {
    List<DomainName> names = new ArrayList<>();
    for (String d : domains) {
      names.add(DomainName.of(d));
    }
    List<DomainName> fixed = List.copyOf(names);
    return (input, preliminary) -> {
      for (DkimOutcome d : input.dkim()) {
        if (d.result() == DkimResult.PASS) {
          Optional<DomainName> match = matching(d.domain(), fixed);
          if (match.isPresent()) {
            return Optional.of(
                new OverrideRule.Decision(
                    DmarcPolicy.NONE,
                    OverrideReason.TRUSTED_FORWARDER,
                    "DKIM pass for trusted forwarder " + match.get()));
          }
        }
      }
      if (input.spf().isPresent()
          && input.spf().get().scope() == SpfScope.MFROM
          && input.spf().get().result() == SpfResult.PASS) {
        Optional<DomainName> match = matching(input.spf().get().domain(), fixed);
        if (match.isPresent()) {
          return Optional.of(
              new OverrideRule.Decision(
                  DmarcPolicy.NONE,
                  OverrideReason.TRUSTED_FORWARDER,
                  "SPF pass for trusted forwarder " + match.get()));
        }
      }
      return Optional.empty();
    };
  }

  private static Optional<DomainName> matching(String domain, List<DomainName> list) {
    Optional<DomainName> d = DomainName.parse(domain);
    if (d.isEmpty()) {
      return Optional.empty();
    }
    for (DomainName n : list) {
      if (d.get().isSubdomainOf(n)) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  static OverrideRule mailingLists(Collection<String> listIdDomains) {
    List<DomainName> names = new ArrayList<>();
    for (String d : listIdDomains) {
      names.add(DomainName.of(d));
    }
    List<DomainName> fixed = List.copyOf(names);
    return (input, preliminary) -> {
      if (input.listId().isEmpty()) {
        return Optional.empty();
      }
      Optional<String> id = listId(input.listId().get());
      if (id.isEmpty()) {
        return Optional.empty();
      }
      Optional<DomainName> match = matching(id.get(), fixed);
      return match.map(
          m ->
              new OverrideRule.Decision(
                  DmarcPolicy.NONE, OverrideReason.MAILING_LIST, "list " + id.get()));
    };
  }

  /** The list-id of a List-Id field value (RFC 2919 §3): the text in angle brackets. */
  static Optional<String> listId(String value) {
    int lt = value.lastIndexOf('<');
    int gt = value.lastIndexOf('>');
    String id = lt >= 0 && gt > lt ? value.substring(lt + 1, gt) : value;
    id = id.trim().toLowerCase(Locale.ROOT);
    return id.isEmpty() ? Optional.empty() : Optional.of(id);
  }
}
