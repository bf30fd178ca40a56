#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the seed corpora of the @FuzzTests from test data already in the repository.

Each seed goes to <module>/src/test/resources/<package>/<Class>Inputs/<method>/seed-<name>, the
directory jazzer-junit replays in regression mode. Run from the repository root; it rewrites only
files named seed-*, so findings (crash-*, timeout-*, ...) kept beside them stay.
"""
import glob
import hashlib
import os
import re
import struct
import sys

import yaml  # python3-yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(ROOT)
written = {}


def out_dir(module, package, cls, method):
    return os.path.join(module, "src/test/resources", package.replace(".", "/"), cls + "Inputs", method)


def seed(module, package, cls, method, data, name=None):
    if isinstance(data, str):
        data = data.encode("utf-8")
    d = out_dir(module, package, cls, method)
    os.makedirs(d, exist_ok=True)
    name = name or hashlib.sha1(data).hexdigest()[:12]
    name = re.sub(r"[^A-Za-z0-9._-]", "_", name)[:60]
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)
    written[d] = written.get(d, 0) + 1


def clean():
    for f in glob.glob("*/src/test/resources/io/github/dmarcj/**/*Inputs/*/seed-*", recursive=True):
        os.remove(f)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def java_strings(path, call):
    """String literals passed directly to call("...") in a Java test file."""
    text = read(path).decode("utf-8")
    out = []
    for m in re.finditer(re.escape(call) + r'\(\s*"((?:[^"\\]|\\.)*)"', text):
        s = m.group(1)
        s = s.encode("latin-1", "backslashreplace").decode("unicode_escape")
        out.append(s)
    return out


def header_fields(msg, name):
    """Unfolded values of the fields called name in a raw message."""
    head = re.split(rb"\r?\n\r?\n", msg, maxsplit=1)[0]
    values = []
    for field in re.split(rb"\r?\n(?![ \t])", head):
        if b":" in field and field.split(b":", 1)[0].strip().lower() == name.lower():
            values.append(field.split(b":", 1)[1])
    return values


clean()
core, spf, dkim, cli = "dmarc-core", "dmarc-spf", "dmarc-dkim", "dmarc-cli"
P = "io.github.dmarcj."

# --- messages ---------------------------------------------------------------------------
messages = {}
for p in sorted(glob.glob("examples/messages/*.eml")):
    messages[os.path.basename(p)] = read(p)
for p in sorted(glob.glob("dmarc-dkim/src/test/resources/crosscheck/msg-*.eml")):
    messages[os.path.basename(p)] = read(p)
for p in sorted(glob.glob("dmarc-dkim/src/test/resources/dkimpy/*.msg")
                + glob.glob("dmarc-dkim/src/test/resources/dkimpy/*.message")):
    messages["dkimpy-" + os.path.basename(p)] = read(p)
for p in sorted(glob.glob("dmarc-dkim/src/test/resources/crosscheck/*-signed/plain-*.eml"))[:6]:
    messages[os.path.basename(os.path.dirname(p)) + "-" + os.path.basename(p)] = read(p)

for name, m in messages.items():
    for method in ("parse_anyBytes_fieldsAreExactSlicesOfTheInput", "parse_smallLimits_stopsWithinTheLimits"):
        seed(core, P + "message", "MessageHeaderParserFuzzTest", method, m, name)
    seed(core, P + "authres", "AuthResultsFuzzTest", "removeClaimingOurs_anyMessage_noClaimLeftAndBodyKept", m, name)

# --- From values ------------------------------------------------------------------------
froms = set()
for m in messages.values():
    for v in header_fields(m, b"From"):
        froms.add(v)
for s in java_strings("dmarc-core/src/test/java/io/github/dmarcj/message/AuthorDomainsTest.java", "ofValue"):
    froms.add(s.encode("utf-8"))
for v in sorted(froms):
    seed(core, P + "message", "AuthorDomainsFuzzTest", "ofValue_anyText_statusMatchesDomains", v)
for name in ("legit.eml", "spoofed.eml"):
    seed(core, P + "message", "AuthorDomainsFuzzTest", "ofValue_anyText_statusMatchesDomains", messages[name], name)

# --- DMARC records ----------------------------------------------------------------------
dmarc = set()
for p in glob.glob("dmarc-core/src/test/java/io/github/dmarcj/dmarc/*.java") + glob.glob("examples/zones/*") \
        + glob.glob("dmarc-core/src/test/resources/dmarc/*") + glob.glob("dmarc-cli/src/test/resources/record/*"):
    for m in re.finditer(r'"(v=DMARC1[^"]*)"', read(p).decode("utf-8", "replace")):
        dmarc.add(m.group(1).replace('\\"', '"'))
for r in sorted(dmarc)[:120]:
    seed(core, P + "dmarc", "DmarcRecordParserFuzzTest", "parse_anyText_recordOrTypedReason", r)

# --- Authentication-Results -------------------------------------------------------------
ars = set()
for s in java_strings("dmarc-core/src/test/java/io/github/dmarcj/authres/AuthenticationResultsTest.java", "parse"):
    ars.add(s.encode("utf-8"))
for m in messages.values():
    for v in header_fields(m, b"Authentication-Results"):
        ars.add(v)
ars.add(b" mx.example.net; spf=pass smtp.mailfrom=a@example.com; dkim=pass header.d=example.com"
        b" header.s=sel (good signature); dmarc=pass header.from=example.com")
for v in sorted(ars):
    seed(core, P + "authres", "AuthResultsFuzzTest", "parse_anyText_rendersToTheSameResults", v)
seed(core, P + "authres", "AuthResultsFuzzTest", "removeClaimingOurs_anyMessage_noClaimLeftAndBodyKept",
     b"Authentication-Results: mx.example.net; spf=pass\r\nFrom: a@example.com\r\n"
     b"authentication-results : (c) MX.Example.Net 1;\r\n\tnone\r\n\r\nbody\r\n", "forged")

# --- domain names -----------------------------------------------------------------------
names = set()
for s in java_strings("dmarc-core/src/test/java/io/github/dmarcj/domain/DomainNameTest.java", "of") \
        + java_strings("dmarc-core/src/test/java/io/github/dmarcj/domain/DomainNameTest.java", "parse"):
    names.add(s)
for line in read("dmarc-core/src/test/resources/publicsuffix-list/tests.txt").decode("utf-8").splitlines():
    if line and not line.startswith("//"):
        names.add(line.split()[0])
for n in sorted(names)[:100]:
    seed(core, P + "domain", "DomainNameFuzzTest", "of_anyText_normalisedNameOrTypedReason", n)
for n in ["bücher", "straße", "ςόμε", "日本語", "mañana", "a-b", "ü" * 70, "𝔘𝔫𝔦"]:
    seed(core, P + "domain", "DomainNameFuzzTest", "encode_anyText_decodesBack", n)

# --- DNS wire ---------------------------------------------------------------------------
def wire_name(n):
    out = b""
    for label in n.rstrip(".").split(".") if n not in ("", ".") else []:
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def rr(name, rtype, rdata, ttl=300):
    return wire_name(name) + struct.pack(">HHIH", rtype, 1, ttl, len(rdata)) + rdata


def msg(qname, qtype, answers=(), authority=(), rcode=0, flags=0x8180):
    head = struct.pack(">HHHHHH", 0x1234, flags | rcode, 1, len(answers), len(authority), 0)
    return head + wire_name(qname) + struct.pack(">HH", qtype, 1) + b"".join(answers) + b"".join(authority)


def txt(*strings):
    return b"".join(bytes([len(s)]) + s for s in strings)


soa = rr("example.com", 6, wire_name("ns.example.com") + wire_name("hostmaster.example.com")
         + struct.pack(">IIIII", 1, 7200, 3600, 1209600, 300))
wires = {
    "txt": msg("example.com", 16, [rr("example.com", 16, txt(b"v=spf1 ip4:192.0.2.0/24 ", b"-all"))]),
    "dmarc": msg("_dmarc.example.com", 16, [rr("_dmarc.example.com", 16, txt(b"v=DMARC1; p=reject"))]),
    "a": msg("example.com", 1, [rr("example.com", 1, bytes([192, 0, 2, 1]))]),
    "aaaa": msg("example.com", 28, [rr("example.com", 28, bytes(range(16)))]),
    "mx": msg("example.com", 15, [rr("example.com", 15, struct.pack(">H", 10) + wire_name("mx.example.com"))]),
    "ptr": msg("1.2.0.192.in-addr.arpa", 12, [rr("1.2.0.192.in-addr.arpa", 12, wire_name("mail.example.com"))]),
    "cname": msg("www.example.com", 16, [rr("www.example.com", 5, wire_name("example.com")),
                                          rr("example.com", 16, txt(b"hello"))]),
    "nxdomain": msg("nope.example.com", 16, authority=[soa], rcode=3),
    "nodata": msg("example.com", 28, authority=[soa]),
    "servfail": msg("example.com", 16, rcode=2),
    "truncated": msg("example.com", 16, flags=0x8380),
}
for k, v in wires.items():
    seed(core, P + "dns", "DnsWireFuzzTest", "fromResponse_anyWireBytes_lookupWithTypedOutcome", v, k)
for p in sorted(glob.glob("examples/zones/*.zone") + glob.glob("dmarc-core/src/test/resources/dns/*.zone")
                + glob.glob("dmarc-cli/src/test/resources/dns/*.zone")):
    seed(core, P + "dns", "DnsWireFuzzTest", "fromString_anyZoneText_resolverOrIllegalArgument", read(p),
         p.split("/")[0] + "-" + os.path.basename(p))
for n in ["example.com", "_dmarc.example.com.", "a..b", "x" * 64 + ".com", "1.2.0.192.in-addr.arpa", "Ex\\046mple.com"]:
    seed(core, P + "dns", "DnsWireFuzzTest", "toName_anyText_wireNameMatchesNormalizedText", n)

# --- SPF --------------------------------------------------------------------------------
suite = list(yaml.safe_load_all(read("dmarc-spf/src/test/resources/openspf/rfc7208-tests.yml")))
records, scenarios = set(), []
for doc in suite:
    if not isinstance(doc, dict):
        continue
    zone = doc.get("zonedata") or {}
    lines = []
    for name, entries in zone.items():
        for e in entries or []:
            if not isinstance(e, dict):
                lines.append(f"{name} {e}")
                continue
            for typ, val in e.items():
                if typ in ("SPF", "TXT"):
                    if val == "NONE":
                        continue
                    text = "".join(val) if isinstance(val, list) else str(val)
                    if text.lower().startswith("v=spf1"):
                        records.add(text)
                    lines.append(f"{name} TXT {text}")
                elif typ in ("A", "AAAA", "PTR"):
                    lines.append(f"{name} {typ} {val}")
                elif typ == "MX":
                    lines.append(f"{name} MX {val[0]} {val[1]}")
    for case_name, t in (doc.get("tests") or {}).items():
        head = [f"ip {t.get('host')}", f"helo {t.get('helo')}", f"from {t.get('mailfrom') or ''}"]
        scenarios.append((case_name, "\n".join(head + lines) + "\n"))
for r in sorted(records):
    seed(spf, P + "spf", "SpfFuzzTest", "parse_anyRecord_recordOrSyntaxError", r)
macros = set(java_strings("dmarc-spf/src/test/java/io/github/dmarcj/spf/MacroStringTest.java", "expand"))
for r in records:
    for term in r.split(" "):
        if "%" in term:
            macros.add(term.split(":", 1)[-1].split("=", 1)[-1])
for mstr in sorted(macros)[:80]:
    seed(spf, P + "spf", "SpfFuzzTest", "parse_anyMacroString_expandsOrSyntaxError", mstr)
for name, s in scenarios:
    seed(spf, P + "spf", "SpfFuzzTest", "check_fuzzedDns_resultWithinLookupLimits", s, name)

# --- DKIM -------------------------------------------------------------------------------
keys = {}
for line in read("dmarc-dkim/src/test/resources/crosscheck/zone.txt").decode().splitlines():
    if " " in line:
        n, k = line.split(" ", 1)
        keys[n.split("._domainkey.")[0]] = k
tags = set()
for p in sorted(glob.glob("dmarc-dkim/src/test/resources/dkimpy/*.txt") + glob.glob("dmarc-dkim/src/test/resources/dkimpy/*.dns")):
    tags.add(read(p).strip().split(b"\n")[-1].split(b" ", 1)[-1] if p.endswith(".dns") else read(p).strip())
tags.update(k.encode() for k in keys.values())
for m in messages.values():
    for v in header_fields(m, b"DKIM-Signature"):
        tags.add(v)
for t in sorted(tags):
    seed(dkim, P + "dkim", "DkimFuzzTest", "parse_anyTagList_roundTripsAndTypedErrors", t)
for p in sorted(glob.glob("dmarc-dkim/src/test/resources/crosscheck/*-signed/*.eml")):
    base = os.path.basename(p)
    if not base.startswith(("plain-", "eightbit-", "nofinalcrlf-")):
        continue
    sel = "ed" if "-ed-" in base else "rsa"
    key = keys.get(sel)
    if key:
        seed(dkim, P + "dkim", "DkimFuzzTest", "verifyMessage_fuzzedMessageAndKey_oneTypedResultPerSignature",
             key.encode() + b"\n" + read(p), os.path.basename(os.path.dirname(p)) + "-" + base)
for p in sorted(glob.glob("dmarc-dkim/src/test/resources/stalwart-dkim/0*.txt")):
    data = read(p)
    # Stalwart vectors: key records first, a blank line, then the message.
    first_key = data.split(b"\n", 1)[0].split(b" ", 1)[-1]
    body = data.split(b"\n\n", 1)[-1] if b"\n\n" in data else data
    seed(dkim, P + "dkim", "DkimFuzzTest", "verifyMessage_fuzzedMessageAndKey_oneTypedResultPerSignature",
         first_key + b"\n" + body, "stalwart-" + os.path.basename(p))

# --- batch requests ---------------------------------------------------------------------
for i, line in enumerate(read("examples/requests.jsonl").decode().splitlines()):
    seed(cli, P + "cli", "BatchRequestFuzzTest", "parse_anyLine_requestOrNotAnObject", line, f"examples-{i}")
for extra in ['{"id": 7, "message": "m.eml", "zone": "z.zone", "clientIp": "[2001:db8::1]", "now": 1.7e9}',
              '{"message": ["x"], "zone": [1, "a"], "now": "soon"}', '[]', '{"a": {"b": [1, {"c": null}]}} x']:
    seed(cli, P + "cli", "BatchRequestFuzzTest", "parse_anyLine_requestOrNotAnObject", extra)

# --- failure reports --------------------------------------------------------------------
# One flag byte, eight NUL-separated values (MAIL FROM, RCPT TO, From domain,
# Authentication-Results, DKIM domain, selector, identity, SPF record), then the original message.
report = "dmarc-report"
values = [b"bounces@sender.example", b"alice@receiver.example\nbob@receiver.example", b"sender.example",
          b"mx.receiver.example; spf=fail smtp.mailfrom=bounces@sender.example; dmarc=fail header.from=sender.example",
          b"sender.example", b"sel1", b"signer@sender.example", b"v=spf1 ip4:198.51.100.0/24 -all"]
hostile = [b"x\r\nBcc: victim@evil.example", "j\u00f6rg@b\u00fccher.example".encode(), b"\r\n\r\nInjected: 1",
           b"a; spf=fail smtp.mailfrom=\"q@x\"@y", b"", b"s\x7f\x01", b"@", b"v=spf1 %{l} -all\r\nX: y"]
for i, p in enumerate(sorted(glob.glob("dmarc-report/src/test/resources/arf/*.eml"))):
    for j, vals in enumerate((values, hostile)):
        seed(report, P + "report.failure", "FailureReportFuzzTest", "compose_anyValues_threePartsAndNoInjectedField",
             bytes([(i * 53 + j * 29 + 8) % 256]) + b"\0".join(vals) + b"\0" + read(p),
             f"arf-{os.path.basename(p)}-{j}")
seed(report, P + "report.failure", "FailureReportFuzzTest", "compose_anyValues_threePartsAndNoInjectedField",
     bytes([0x3d]) + b"\0".join(hostile) + b"\0" + b"Subject: =?utf-8?B?am9obkBleGFtcGxlLmNvbQ==?=\r\n"
     + b"To: \"x@y\" <a\r\n @b>, c%40d\r\n\r\n\x00body --=_dmarc_failure_\r\n", "hostile-header")

for d, n in sorted(written.items()):
    print(f"{n:4d} {d}")
