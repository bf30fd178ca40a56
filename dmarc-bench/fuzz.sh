#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Fuzzes the @FuzzTest targets with Jazzer, one target at a time.
#
#   dmarc-bench/fuzz.sh DURATION [TARGET...]
#
# DURATION is per target, in Jazzer's notation: 90s, 10m, 1h. A TARGET is a test class
# (DkimFuzzTest: each of its @FuzzTest methods in turn) or one method
# (DkimFuzzTest#verifyMessage_fuzzedMessageAndKey_oneTypedResultPerSignature); none means all.
#
# Builds what it needs through the Maven reactor (no install), so it works in a fresh clone. A
# finding stops that target: Jazzer writes the input as crash-*, timeout-* or slow-unit-* into the
# target's seed directory under src/test/resources, where `mvn verify` replays it from then on.
# The growing corpus is kept in <module>/.cifuzz-corpus (not committed) and reused by the next run.
# A test's @Timeout becomes libFuzzer's -timeout for each input; JUnit's own timeout, which would
# cover the whole fuzzing run, is switched off. Logs: dmarc-bench/target/fuzz/<Class>#<method>.log. Environment: MVN (default mvn),
# MVN_ARGS (extra Maven arguments, e.g. -o).
set -uo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+[smhd]?$ ]]; then
  awk 'NR > 2 && /^#/ { sub(/^# ?/, ""); print; next } NR > 2 { exit }' "$0"
  exit 2
fi
duration=$1
shift
mvn_cmd=${MVN:-mvn}
logs=dmarc-bench/target/fuzz
mkdir -p "$logs"

# module|class|method for every @FuzzTest method.
all_targets() {
  grep -rl --include='*FuzzTest.java' '@FuzzTest' -- */src/test/java | sort | while read -r f; do
    module=${f%%/src/test/java/*}
    cls=$(basename "$f" .java)
    awk '/@FuzzTest/ {want=1; next} want && /void [a-zA-Z_0-9]+\(/ {
           match($0, /void [a-zA-Z_0-9]+\(/); print substr($0, RSTART+5, RLENGTH-6); want=0 }' "$f" |
      while read -r m; do echo "$module|$cls|$m"; done
  done
}

selected=()
if [ $# -eq 0 ]; then
  mapfile -t selected < <(all_targets)
else
  for want in "$@"; do
    matches=$(all_targets | awk -F'|' -v w="$want" '$2 == w || $2 "#" $3 == w')
    if [ -z "$matches" ]; then
      echo "no @FuzzTest target named $want" >&2
      exit 2
    fi
    mapfile -t -O "${#selected[@]}" selected <<<"$matches"
  done
fi

printf '%-80s %10s %12s  %s\n' target duration executions result
status=0
for t in "${selected[@]}"; do
  IFS='|' read -r module cls method <<<"$t"
  name="$cls#$method"
  log="$logs/$name.log"
  inputs=$(find "$module/src/test/resources" -type d -path "*/${cls}Inputs/$method" | head -1)
  before=$(find "$inputs" -type f ! -name 'seed-*' 2>/dev/null | sort)
  start=$(date +%s)
  JAZZER_FUZZ=1 $mvn_cmd -B ${MVN_ARGS:-} test -pl "$module" -am \
    -Dtest="$name" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.max_duration="$duration" \
    -Djunit.jupiter.execution.timeout.mode=disabled >"$log" 2>&1
  rc=$?
  secs=$(($(date +%s) - start))
  # libFuzzer's last status line: "#123456	DONE ..." or the count before a finding.
  execs=$(grep -aoE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  after=$(find "$inputs" -type f ! -name 'seed-*' 2>/dev/null | sort)
  new=$(comm -13 <(echo "$before") <(echo "$after") | grep -v '^$' || true)
  if [ -n "$new" ]; then
    result="FINDING: $(echo "$new" | tr '\n' ' ')"
    status=1
  elif [ $rc -ne 0 ]; then
    result="FAILED (exit $rc, see $log)"
    status=1
  else
    result=ok
  fi
  printf '%-80s %9ss %12s  %s\n' "$name" "$secs" "${execs:-?}" "$result"
done
exit $status
