#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs `dmarc verify` on the example messages, offline: DNS answers come from the zone files
# in examples/zones, and --now fixes the clock just after the DKIM signing time.
#
#   mvn -B -q package -DskipTests && bash examples/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# The launcher the build puts next to dmarc.jar (it uses the class-data-sharing archive).
DMARC=dmarc-cli/target/dmarc
if [ ! -x "$DMARC" ]; then
  echo "building $DMARC ..." >&2
  mvn -B -q package -DskipTests
fi

NOW=1795773660 # 2026-11-27T10:01:00Z
ZONES=(--zone examples/zones/example.com.zone --zone examples/zones/example.net.zone
       --zone examples/zones/example.org.zone)

verify() {
  local title=$1
  shift
  echo
  echo "### $title"
  "$DMARC" verify "${ZONES[@]}" --now "$NOW" --authserv-id mx.example.net "$@"
}

verify "1. example.com's own server, DKIM-signed, IP in its SPF: expect dmarc=pass" \
  --client-ip 192.0.2.25 --helo mail.example.com --mail-from alice@example.com \
  examples/messages/legit.eml

verify "2. same From through a third-party mailer (no signature, not in SPF): expect quarantine" \
  --client-ip 198.51.100.7 --helo mailer.example.net --mail-from bounce-4711@mailer.example.net \
  examples/messages/third-party.eml

verify "3. spoofed example.com from an unrelated IP: expect quarantine" \
  --client-ip 203.0.113.66 --helo mx.attacker.invalid --mail-from payroll@example.com \
  examples/messages/spoofed.eml

verify "4. spoofed example.org, which publishes p=reject: expect reject" \
  --client-ip 203.0.113.66 --helo mx.attacker.invalid --mail-from billing@example.org \
  examples/messages/spoofed-reject.eml

# Report rows go to an embedded H2 database in a temporary folder.
DB_DIR=$(mktemp -d)
trap 'rm -rf "$DB_DIR"' EXIT
DB="jdbc:h2:file:$DB_DIR/reports"

echo
echo "### 5. the same four as one --batch run (JSON Lines out), report rows and failure reports stored in $DB"
"$DMARC" verify --batch examples/requests.jsonl --authserv-id mx.example.net \
  --report-db "$DB" --failure-reports

echo
echo "### 6. the RFC 9990 aggregate report for example.com on that day, from the stored rows"
"$DMARC" report aggregate --db "$DB" --domain example.com \
  --begin 1795737600 --end 1795824000 --org-name "Example Receiver" \
  --email dmarc-reports@mx.example.net --report-id 20261127.example.com@mx.example.net

echo
echo "### 7. the report mails themselves, as the next day's \`report send\` writes them (--out: no SMTP):"
echo "###    the aggregate reports to each rua, and the failure reports (RFC 9991) to example.com's ruf"
OUT_DIR="$DB_DIR/mails"
"$DMARC" report send --db "$DB" --org-name "Example Receiver" \
  --from dmarc-reports@example.com --out "$OUT_DIR" --now 1795824600 \
  --dkim-key examples/keys/example.com.sel2026.TEST-ONLY.private.pem \
  --dkim-domain example.com --dkim-selector sel2026 "${ZONES[@]}"
for f in "$OUT_DIR"/*.eml; do
  echo "--- $(basename "$f"): headers"
  # The header, folded lines joined, then the fields a report consumer looks at.
  tr -d '\r' < "$f" | sed '/^$/q' | awk '/^[ \t]/ { line = line $0; next } { if (line != "") print line; line = $0 } END { print line }' |
    grep -E '^(From|To|Subject|Date|Message-ID|DKIM-Signature):' | cut -c1-120
done

echo
echo "### 8. the failure report for the spoofed message: its feedback fields (addresses redacted)"
for f in "$OUT_DIR"/dmarc-failures@example.com.*.eml; do
  if grep -q "^Source-IP: 203.0.113.66" "$f"; then
    tr -d '\r' < "$f" | awk '/^Content-Type: message\/feedback-report/ { on = 1; next } on && /^--/ { exit } on' | sed '/^$/d'
    echo "--- the original's header, as the report carries it"
    tr -d '\r' < "$f" | awk '/^Content-Type: text\/rfc822-headers/ { on = 1; next } on && /^--/ { exit } on' | sed '/^$/d' | head -8
  fi
done
