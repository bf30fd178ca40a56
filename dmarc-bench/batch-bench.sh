#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end throughput of `dmarc verify --batch` on COUNT requests for the 4 KB signed benchmark
# message (wall clock of the whole CLI process: JVM start, zone loading, reading each message
# file, JSON in and out), then mailauth authenticate() on the same message and DNS data.
#
#   mvn -B -q package -DskipTests && bash dmarc-bench/batch-bench.sh [COUNT]
#
# mailauth needs `npm ci` in dmarc-bench/mailauth first; it is skipped when node_modules is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-10000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
RES=dmarc-bench/src/main/resources/bench
cp "$RES/message-4k.eml" "$RES/example.com.zone" "$WORK/"
for ((i = 0; i < COUNT; i++)); do
  printf '{"id":"m%d","message":"message-4k.eml","zone":["example.com.zone"],"clientIp":"192.0.2.25","helo":"mail.example.com","mailFrom":"alice@example.com","now":1795773660}\n' "$i"
done > "$WORK/requests.jsonl"

# Wall clock and CPU seconds (user + sys) of each whole process, start-up included.
/usr/bin/time -f "%e %U %S" -o "$WORK/time.txt" \
  java -jar dmarc-cli/target/dmarc.jar verify --batch "$WORK/requests.jsonl" --authserv-id mx.example.net \
  > "$WORK/out.jsonl" 2> "$WORK/err.txt"
lines=$(wc -l < "$WORK/out.jsonl")
passes=$(grep -c '"result":"pass","fromDomain"' "$WORK/out.jsonl" || true)
read -r wall user sys < "$WORK/time.txt"
awk -v n="$lines" -v p="$passes" -v w="$wall" -v u="$user" -v s="$sys" 'BEGIN {
  printf "{\"peer\":\"dmarcj verify --batch\",\"messages\":%d,\"dmarcPass\":%d,\"seconds\":%.2f,\"cpuSeconds\":%.2f,\"messagesPerSecond\":%.0f,\"messagesPerCpuSecond\":%.0f}\n", n, p, w, u + s, n / w, n / (u + s) }'

if [ -d dmarc-bench/mailauth/node_modules/mailauth ]; then
  (cd dmarc-bench/mailauth && /usr/bin/time -f "%e %U %S" -o "$WORK/time-node.txt" node bench.js "$COUNT" 0 > "$WORK/node.json")
  read -r wall user sys < "$WORK/time-node.txt"
  awk -v n="$COUNT" -v w="$wall" -v u="$user" -v s="$sys" 'BEGIN {
    printf "{\"peer\":\"mailauth 4.13.3 (node bench.js)\",\"messages\":%d,\"seconds\":%.2f,\"cpuSeconds\":%.2f,\"messagesPerSecond\":%.0f,\"messagesPerCpuSecond\":%.0f}\n", n, w, u + s, n / w, n / (u + s) }'
else
  echo "mailauth not installed: cd dmarc-bench/mailauth && npm ci" >&2
fi
