# SPDX-License-Identifier: Apache-2.0
"""Cross-check helper run with Debian's python3-dkim (dkimpy).

  dkimpy_tool.py verify ZONE MESSAGE...  -> per message and DKIM-Signature: "<index> True|False"
                                          (prefixed by "<file> " when several files are given)
  dkimpy_tool.py sign KEY DOMAIN SELECTOR ALG HEADERCANON BODYCANON LENGTH MESSAGE
                                       -> the signed message on stdout
  dkimpy_tool.py signjobs JOBFILE      -> signs every job line
                                          "KEY DOMAIN SELECTOR ALG HC BC LENGTH IN OUT"

ZONE is a file of "<name> <TXT value>" lines. Keys: PEM for rsa-sha256, base64 seed for ed25519.
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


def sign(key, domain, selector, alg, hc, bc, length, path):
    msg = open(path, "rb").read()
    sig = dkim.sign(msg, selector.encode(), domain.encode(), open(key, "rb").read().strip(),
                    canonicalize=(hc.encode(), bc.encode()),
                    signature_algorithm=alg.encode(),
                    include_headers=[b"from", b"to", b"subject", b"date"],
                    length=(length == "true"))
    return sig + msg


def main(argv):
    if argv[1] == "verify":
        zone = load_zone(argv[2])

        def dnsfunc(name, timeout=5):
            return zone.get(name.lower().rstrip(b"."), b"")

        files = argv[3:]
        for path in files:
            msg = open(path, "rb").read()
            d = dkim.DKIM(msg)
            count = sum(1 for h in d.headers if h[0].lower() == b"dkim-signature")
            for i in range(count):
                try:
                    ok = dkim.DKIM(msg).verify(idx=i, dnsfunc=dnsfunc)
                except Exception as e:  # report, do not stop the batch
                    ok = False
                    print("error", path, e, file=sys.stderr)
                prefix = path + " " if len(files) > 1 else ""
                print(prefix + str(i), bool(ok))
        return 0
    if argv[1] == "signjobs":
        for line in open(argv[2]).read().splitlines():
            if line.strip():
                args = line.split(" ")
                with open(args[8], "wb") as out:
                    out.write(sign(*args[:8]))
        return 0
    if argv[1] == "sign":
        sys.stdout.buffer.write(sign(*argv[2:10]))
        return 0
    print("usage: verify ZONE MESSAGE | sign KEY DOMAIN SELECTOR ALG HC BC LENGTH MESSAGE", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
