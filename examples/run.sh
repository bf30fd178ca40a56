#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs `dmarc verify` on the example messages, offline: DNS answers come from the zone files
# in examples/zones, and --now fixes the clock just after the DKIM signing time.
#
#   mvn -B -q package -DskipTests && bash examples/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=dmarc-cli/target/dmarc.jar
if [ ! -f "$JAR" ]; then
  echo "building $JAR ..." >&2
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
  java -jar "$JAR" verify "${ZONES[@]}" --now "$NOW" --authserv-id mx.example.net "$@"
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

echo
echo "### 5. the same four as one --batch run (JSON Lines out)"
java -jar "$JAR" verify --batch examples/requests.jsonl --authserv-id mx.example.net
