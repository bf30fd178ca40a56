#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ARC validation of one three-hop chain (bench/arc/chain-3.eml), dmarcj against mailauth in one
# run on the same message and keys:
#
#  1. JMH ArcBenchmark: arcChain3Verify1Thread (dmarcj) and cryptoFloor6Rsa1Thread (six RSA-2048
#     checks alone), one thread;
#  2. mailauth 4.13.3 dkimVerify() + arc() on the same chain (mailauth/arc-bench.js), ROUNDS
#     rounds of COUNT messages, one process at a time.
#
#   mvn -B -q package -DskipTests && (cd dmarc-bench/mailauth && npm ci) &&
#     bash dmarc-bench/arc-bench.sh [ROUNDS] [COUNT]
#
# JMH_OPTS replaces the JMH options (default: -f 3 -wi 3 -w 2s -i 5 -r 2s). Prints the median
# microseconds per message of each side (JMH: median over all measured iterations of 1e6 / ops;
# mailauth: median over rounds of process CPU / messages) and the ratios of those medians. Raw
# output goes to dmarc-bench/target/arc-bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
COUNT=${2:-3000}
OUT=dmarc-bench/target/arc-bench
JAR=dmarc-bench/target/benchmarks.jar
NODE_DIR=dmarc-bench/mailauth
[ -e "$JAR" ] || { echo "missing $JAR: run mvn -B -q package -DskipTests first" >&2; exit 1; }
[ -d "$NODE_DIR/node_modules/mailauth" ] || { echo "mailauth missing: (cd $NODE_DIR && npm ci)" >&2; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT"
# shellcheck disable=SC2086
java -jar "$JAR" 'ArcBenchmark.(arcChain3Verify|cryptoFloor6Rsa)1Thread' ${JMH_OPTS:--f 3 -wi 3 -w 2s -i 5 -r 2s} \
  -rf json -rff "$OUT/jmh.json" > "$OUT/jmh.log"
for r in $(seq 1 "$ROUNDS"); do
  (cd "$NODE_DIR" && node arc-bench.js "$COUNT" 3) >> "$OUT/mailauth.jsonl"
done
python3 - "$OUT" <<'PY'
import json, statistics, sys
out = sys.argv[1]
jmh = {b['benchmark'].rsplit('.', 1)[1]: b for b in json.load(open(out + '/jmh.json'))}
def micros(name):
    raw = [x for fork in jmh[name]['primaryMetric']['rawData'] for x in fork]
    return statistics.median(1e6 / x for x in raw)
ours = micros('arcChain3Verify1Thread')
floor = micros('cryptoFloor6Rsa1Thread')
theirs = statistics.median(json.loads(l)['cpuMicrosPerMessage'] for l in open(out + '/mailauth.jsonl'))
print(f"dmarcj ArcChainVerifier: {ours:.1f} us per chain (median of JMH iterations)")
print(f"crypto floor, 6 RSA-2048 checks: {floor:.1f} us  (floor / dmarcj = {floor / ours:.2f})")
print(f"mailauth dkimVerify + arc: {theirs:.1f} us CPU per chain (median of rounds)  (mailauth / dmarcj = {theirs / ours:.2f})")
PY
