#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Re-creates message-4k.eml: a ~4 KB text message signed (relaxed/relaxed, rsa-sha256) with the
# example's TEST-ONLY key at a fixed time, using dkimpy (Debian python3-dkim).
# Run from the repository root: /usr/bin/python3 dmarc-bench/src/main/resources/bench/make-message.py
import textwrap
import time

import dkim

time.time = lambda: 1795773600
para = ("This paragraph stands in for the body of an ordinary business message. It has plain "
        "ASCII text, line lengths well under the limit, and nothing unusual, so the benchmark "
        "measures the common case of a signed message of about four kilobytes.")
body = []
for i in range(12):
    body += textwrap.wrap(f"{i + 1}. " + para, 72) + [""]
hdr = [
    "Received: from mail.example.com (mail.example.com [192.0.2.25]) by mx.example.net"
    " with ESMTPS id 4711; Fri, 27 Nov 2026 10:00:01 +0000",
    "From: Alice Example <alice@example.com>",
    "To: Bob Recipient <bob@example.net>",
    "Subject: Benchmark message of about four kilobytes",
    "Date: Fri, 27 Nov 2026 10:00:00 +0000",
    "Message-ID: <bench-4k-0001@mail.example.com>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 7bit",
]
msg = ("\r\n".join(hdr) + "\r\n\r\n" + "\r\n".join(body) + "\r\n").encode()
key = open("examples/keys/example.com.sel2026.TEST-ONLY.private.pem", "rb").read()
sig = dkim.sign(msg, b"sel2026", b"example.com", key, canonicalize=(b"relaxed", b"relaxed"),
                include_headers=[b"from", b"to", b"subject", b"date", b"message-id",
                                 b"mime-version", b"content-type"])
with open("dmarc-bench/src/main/resources/bench/message-4k.eml", "wb") as f:
    f.write(sig + msg)
