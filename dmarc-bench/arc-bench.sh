#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ARC validation of one three-hop chain (bench/arc/chain-3.eml), dmarcj against mailauth in one
# run on the same message and keys:
#
#  1. ArcRatio: dmarcj's ArcChainVerifier against six bare RSA-2048 checks (and a message without
#     ARC with ARC validation on against off), in alternating slices of one thread's CPU time,
#     RATIO_ROUNDS rounds;
#  2. mailauth 4.13.3 dkimVerify() + arc() on the same chain (mailauth/arc-bench.js), ROUNDS
#     rounds of COUNT messages, one process at a time, CPU time of the whole process.
#
#   mvn -B -q package -DskipTests && (cd dmarc-bench/mailauth && npm ci) &&
#     bash dmarc-bench/arc-bench.sh [ROUNDS] [COUNT] [RATIO_ROUNDS]
#
# Prints the median microseconds per chain of each side and the ratio of the medians. Raw output
# goes to dmarc-bench/target/arc-bench/. (JMH ArcBenchmark measures the same operations as
# throughput; on a busy machine its iterations spread too far to compare.)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
COUNT=${2:-3000}
RATIO_ROUNDS=${3:-20}
OUT=dmarc-bench/target/arc-bench
JAR=dmarc-bench/target/benchmarks.jar
NODE_DIR=dmarc-bench/mailauth
[ -e "$JAR" ] || { echo "missing $JAR: run mvn -B -q package -DskipTests first" >&2; exit 1; }
[ -d "$NODE_DIR/node_modules/mailauth" ] || { echo "mailauth missing: (cd $NODE_DIR && npm ci)" >&2; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT"
java -cp "$JAR" io.github.dmarcj.bench.ArcRatio "$RATIO_ROUNDS" 100 2>/dev/null | grep '^{' > "$OUT/ratio.jsonl"
for r in $(seq 1 "$ROUNDS"); do
  (cd "$NODE_DIR" && node arc-bench.js "$COUNT" 3) >> "$OUT/mailauth.jsonl"
done
python3 - "$OUT" <<'PY'
import json, statistics, sys
out = sys.argv[1]
cases = {c['case']: c for c in map(json.loads, open(out + '/ratio.jsonl'))}
chain, plain = cases['chain3'], cases['noArcMessage']
ours = chain['dmarcjMicros']
theirs = statistics.median(json.loads(l)['cpuMicrosPerMessage'] for l in open(out + '/mailauth.jsonl'))
print(f"message without ARC, ARC on / off: {plain['arcOnMicros']} / {plain['arcOffMicros']} us"
      f" (ratio {plain['arcOnOverArcOff']}, P25 {plain['ratioP25']}, P75 {plain['ratioP75']})")
print(f"dmarcj ArcChainVerifier: {ours} us per chain; six RSA-2048 checks: {chain['floor6RsaMicros']} us"
      f" (dmarcj / floor {chain['dmarcjOverFloor6Rsa']})")
print(f"mailauth dkimVerify + arc: {theirs:.1f} us CPU per chain (median of {len(open(out + '/mailauth.jsonl').readlines())} rounds)"
      f"; mailauth / dmarcj = {theirs / ours:.2f}")
PY
