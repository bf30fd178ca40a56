# SPDX-License-Identifier: Apache-2.0
"""ARC cross-check helper run with Debian's python3-dkim (dkimpy).

  arc_tool.py seal KEY DOMAIN SELECTOR SRVID TIMESTAMP MESSAGE
      -> MESSAGE with one more ARC Set on top (dkim.arc_sign; cv from the arc= result in the
         message's Authentication-Results of SRVID, none without one)
  arc_tool.py dkimsign KEY DOMAIN SELECTOR MESSAGE
      -> MESSAGE with a relaxed/relaxed rsa-sha256 DKIM-Signature on top
  arc_tool.py verify ZONE MESSAGE...
      -> per message "<file> <cv>" as dkim.arc_verify sees the chain (none, pass or fail)

ZONE is a file of "<name> <TXT value>" lines. KEY is a PEM RSA private key.
"""
import sys
import dkim


def load_zone(path):
    zone = {}
    with open(path, "rb") as f:
        for line in f.read().splitlines():
            if line.strip():
                name, value = line.split(b" ", 1)
                zone[name.lower().rstrip(b".")] = value
    return zone


HEADERS = [b"from", b"to", b"subject", b"date", b"message-id", b"list-id",
           b"arc-authentication-results"]


def main(argv):
    if argv[1] == "seal":
        key, domain, selector, srv_id, ts, path = argv[2:8]
        msg = open(path, "rb").read()
        sig = dkim.arc_sign(msg, selector.encode(), domain.encode(), open(key, "rb").read(),
                            srv_id.encode(), include_headers=HEADERS, timestamp=int(ts))
        sys.stdout.buffer.write(b"".join(sig) + msg)
        return 0
    if argv[1] == "dkimsign":
        key, domain, selector, path = argv[2:6]
        msg = open(path, "rb").read()
        sig = dkim.sign(msg, selector.encode(), domain.encode(), open(key, "rb").read(),
                        canonicalize=(b"relaxed", b"relaxed"),
                        include_headers=[b"from", b"to", b"subject", b"date", b"message-id"])
        sys.stdout.buffer.write(sig + msg)
        return 0
    if argv[1] == "verify":
        zone = load_zone(argv[2])

        def dnsfunc(name, timeout=5):
            return zone.get(name.lower().rstrip(b"."), b"")

        for path in argv[3:]:
            msg = open(path, "rb").read()
            try:
                cv, _results, _comment = dkim.arc_verify(msg, dnsfunc=dnsfunc)
                cv = cv.decode() if isinstance(cv, bytes) else str(cv)
            except Exception as e:  # report, do not stop the batch
                cv = "error"
                print("error", path, e, file=sys.stderr)
            print(path, cv.lower())
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
