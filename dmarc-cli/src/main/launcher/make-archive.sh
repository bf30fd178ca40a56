#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Run by the package phase: puts the launcher next to dmarc.jar and makes dmarc.jsa, a dynamic
# class-data-sharing archive, by running the command line once on the example messages (a
# --batch of SPF, DKIM and DMARC verifications storing report rows in a throw-away H2 database),
# so the classes that work loads are archived.
#
#   make-archive.sh JAVA TARGET_DIR EXAMPLES_DIR
#
# A JVM that cannot make the archive leaves none; the launcher then starts without one.
set -eu
java=$1
target=$2
examples=$3
here=$(cd "$(dirname "$0")" && pwd -P)

cp "$here/dmarc" "$target/dmarc"
chmod 755 "$target/dmarc"
rm -f "$target/dmarc.jsa"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if "$java" -XX:ArchiveClassesAtExit="$target/dmarc.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
  -jar "$target/dmarc.jar" verify --batch "$examples/requests.jsonl" \
  --authserv-id mx.example.net --report-db "jdbc:h2:file:$work/reports" > "$work/out" 2>&1; then
  echo "dmarc.jsa: $(wc -c < "$target/dmarc.jsa") bytes"
else
  echo "no class-data-sharing archive (the JVM could not make one):" >&2
  cat "$work/out" >&2
  rm -f "$target/dmarc.jsa"
fi
