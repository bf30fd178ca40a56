#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The diverse-corpus benchmark, dmarcj against mailauth in one run on the same messages, envelopes
# and DNS data (BENCHMARKS.md leads with its figures):
#
#  1. writes the corpus of DiverseCorpus (MESSAGES messages from SEED) to a temporary folder;
#  2. steady state: JMH CorpusBenchmark (verify and the crypto floor, 1 and 2 threads; the
#     generator runs again inside JMH with the same seed, so the bytes are the same), then
#     mailauth authenticate() over the same corpus in memory (one process, then two at once);
#  3. from process start: `dmarc verify --batch` of BATCH requests (the corpus cycled) with
#     `java -jar` and with the launcher and its class-data-sharing archive, and mailauth on the
#     same requests; then one request alone, each way. RUNS runs of each, alternating.
#
#   mvn -B -q package -DskipTests && (cd dmarc-bench/mailauth && npm ci) &&
#     bash dmarc-bench/corpus-bench.sh [MESSAGES] [SEED] [BATCH] [RUNS]
#
# JMH_OPTS replaces the JMH options (default: -f 1 -wi 5 -w 2s -i 5 -r 2s).
# Everything goes to dmarc-bench/target/corpus-bench/: the JMH JSON, each process's output and
# time, and summary.md (medians, and the ratios between medians of this run).
set -euo pipefail
cd "$(dirname "$0")/.."
MESSAGES=${1:-2000}
SEED=${2:-20261205}
BATCH=${3:-10000}
RUNS=${4:-3}
OUT=dmarc-bench/target/corpus-bench
JAR=dmarc-bench/target/benchmarks.jar
DMARC_JAR=dmarc-cli/target/dmarc.jar
LAUNCHER=dmarc-cli/target/dmarc
NODE_DIR=dmarc-bench/mailauth
for f in "$JAR" "$DMARC_JAR" "$LAUNCHER"; do
  [ -e "$f" ] || { echo "missing $f: run mvn -B -q package -DskipTests first" >&2; exit 1; }
done
[ -d "$NODE_DIR/node_modules/mailauth" ] || { echo "mailauth missing: (cd $NODE_DIR && npm ci)" >&2; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT"
CORPUS=$(mktemp -d)
trap 'rm -rf "$CORPUS"' EXIT

echo "== corpus: $MESSAGES messages, seed $SEED" >&2
java -cp "$JAR" io.github.dmarcj.bench.corpus.DiverseCorpus "$CORPUS" "$MESSAGES" "$SEED" | tee "$OUT/corpus.txt" >&2
# BATCH requests: the corpus's requests cycled, each with its own id.
python3 - "$CORPUS" "$BATCH" <<'EOF'
import json, sys
d, n = sys.argv[1], int(sys.argv[2])
lines = [l for l in open(f"{d}/requests.jsonl") if l.strip()]
with open(f"{d}/batch.jsonl", "w") as out:
    for i in range(n):
        r = json.loads(lines[i % len(lines)])
        r["id"] = f"r{i}"
        out.write(json.dumps(r) + "\n")
EOF

echo "== steady state: JMH CorpusBenchmark, 1 and 2 threads" >&2
for t in 1 2; do
  # shellcheck disable=SC2086
  java -jar "$JAR" CorpusBenchmark -p messages="$MESSAGES" -p seed="$SEED" ${JMH_OPTS:--f 1 -wi 5 -w 2s -i 5 -r 2s} \
    -t "$t" -rf json -rff "$OUT/jmh-t$t.json" > "$OUT/jmh-t$t.txt" 2>&1
  grep -E "^\[corpus\]|^CorpusBenchmark" "$OUT/jmh-t$t.txt" >&2
done

echo "== steady state: mailauth, one process, then two at once" >&2
(cd "$NODE_DIR" && node corpus-bench.js steady "$CORPUS" 5 2) > "$OUT/mailauth-steady-1.jsonl"
(cd "$NODE_DIR" && node corpus-bench.js steady "$CORPUS" 5 2) > "$OUT/mailauth-steady-2a.jsonl" &
(cd "$NODE_DIR" && node corpus-bench.js steady "$CORPUS" 5 2) > "$OUT/mailauth-steady-2b.jsonl"
wait
cat "$OUT"/mailauth-steady-*.jsonl | cut -c1-160 >&2

# One whole process: wall and CPU seconds (user + sys) into $OUT/NAME-RUN.time.
timed() {
  local name=$1 run=$2
  shift 2
  /usr/bin/time -f "%e %U %S" -o "$OUT/$name-$run.time" "$@" > "$OUT/$name-$run.out" 2> "$OUT/$name-$run.err"
}

echo "== from process start: $BATCH requests, then one, $RUNS runs each" >&2
ONE=(verify --zone "$CORPUS/corpus.zone" --now 1795773600 --authserv-id mx.receiver.example
     --client-ip 198.21.85.5 --helo mail.d85.example --mail-from bounce@news.d85.example
     "$CORPUS/msg/m00000.eml")
for ((run = 1; run <= RUNS; run++)); do
  timed batch-jar "$run" java -jar "$DMARC_JAR" verify --batch "$CORPUS/batch.jsonl" --authserv-id mx.receiver.example
  timed batch-launcher "$run" "$LAUNCHER" verify --batch "$CORPUS/batch.jsonl" --authserv-id mx.receiver.example
  timed batch-mailauth "$run" node "$NODE_DIR/corpus-bench.js" batch "$CORPUS" "$BATCH"
  timed one-jar "$run" java -jar "$DMARC_JAR" "${ONE[@]}"
  timed one-launcher "$run" "$LAUNCHER" "${ONE[@]}"
  timed one-mailauth "$run" node "$NODE_DIR/corpus-bench.js" batch "$CORPUS" 1
done

python3 - "$OUT" "$MESSAGES" "$SEED" "$BATCH" "$RUNS" <<'EOF' | tee "$OUT/summary.md"
import glob, json, statistics, sys
out, messages, seed, batch, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
med = statistics.median

def jmh(t, name):
    for b in json.load(open(f"{out}/jmh-t{t}.json")):
        if b["benchmark"].endswith("." + name):
            raw = [x for fork in b["primaryMetric"]["rawData"] for x in fork]
            return med(raw)

def mailauth(files):
    rounds = [json.loads(l) for f in files for l in open(f) if l.strip()]
    return med(r["cpuMicrosPerMessage"] for r in rounds), rounds[0]["dmarc"]

def times(name):
    rows = [list(map(float, open(f).read().split())) for f in sorted(glob.glob(f"{out}/{name}-*.time"))]
    return med(r[0] for r in rows), med(r[1] + r[2] for r in rows)

print(f"Diverse corpus: {messages} messages, seed {seed}; {open(out + '/corpus.txt').read().strip()}")
print()
print("Steady state, CPU per message (µs; JMH average time per message per thread; mailauth: process CPU ÷ messages):")
print()
print("| threads | dmarcj verify | crypto floor | floor ÷ dmarcj | mailauth | mailauth ÷ dmarcj |")
print("|---:|---:|---:|---:|---:|---:|")
m1, counts = mailauth([f"{out}/mailauth-steady-1.jsonl"])
m2, _ = mailauth([f"{out}/mailauth-steady-2a.jsonl", f"{out}/mailauth-steady-2b.jsonl"])
for t, m in ((1, m1), (2, m2)):
    v, f = jmh(t, "verify"), jmh(t, "floor")
    print(f"| {t} | {v:.1f} | {f:.1f} | {100 * f / v:.0f} % | {m:.1f} | {m / v:.1f}x |")
print()
hit = [l for l in open(f"{out}/jmh-t1.txt") if l.startswith("[corpus]")]
print("DNS cache (t=1, verify fork): " + (hit[-1].split(":", 1)[1].strip() if hit else "?"))
print(f"mailauth DMARC results: {counts}")
print()
print(f"From process start (median of {runs} runs; wall s / CPU s):")
print()
print("| run | dmarcj `java -jar` | dmarcj launcher (CDS) | mailauth | mailauth ÷ launcher (wall) |")
print("|---|---:|---:|---:|---:|")
for label, key in ((f"{batch:,} requests", "batch"), ("1 request", "one")):
    j, l, m = times(f"{key}-jar"), times(f"{key}-launcher"), times(f"{key}-mailauth")
    print(f"| {label} | {j[0]:.2f} / {j[1]:.2f} | {l[0]:.2f} / {l[1]:.2f} | {m[0]:.2f} / {m[1]:.2f} | {m[0] / l[0]:.2f}x |")
print()
for name in ("batch-jar", "batch-launcher"):
    n = [sum(1 for _ in open(f)) for f in sorted(glob.glob(f"{out}/{name}-*.out"))]
    print(f"{name}: result lines per run {n} (expected {batch})")
EOF
