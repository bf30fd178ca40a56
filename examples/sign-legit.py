#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Re-creates messages/legit.eml: signs messages/legit.unsigned.eml with the example's TEST-ONLY
# key using dkimpy (Debian package python3-dkim), at a fixed signing time so the committed bytes
# are reproducible. Run from the repository root: /usr/bin/python3 examples/sign-legit.py
import time
import dkim

SIGNING_TIME = 1795773600  # 2026-11-27T10:00:00Z; run.sh verifies with --now one minute later

time.time = lambda: SIGNING_TIME
with open("examples/messages/legit.unsigned.eml", "rb") as f:
    message = f.read()
with open("examples/keys/example.com.sel2026.TEST-ONLY.private.pem", "rb") as f:
    key = f.read()
signature = dkim.sign(
    message,
    b"sel2026",
    b"example.com",
    key,
    canonicalize=(b"relaxed", b"relaxed"),
    include_headers=[b"from", b"to", b"subject", b"date", b"message-id", b"mime-version",
                     b"content-type"],
)
with open("examples/messages/legit.eml", "wb") as f:
    f.write(signature + message)
