#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The same COUNT messages through a private Postfix, once with dmarcj's milter and once with
# Debian's opendkim + opendmarc as its milters. Prints, per peer, messages per second (wall clock
# of smtp-source handing COUNT messages to Postfix in SESSIONS parallel sessions; every message
# passes the milters before Postfix answers 250) and the milters' CPU seconds per message (user +
# system time from /proc/PID/stat of each milter process, measured over the COUNT messages only,
# after WARMUP messages). "delivered", "dkimPass" and "dmarcPass" count the delivered messages
# (warm-up included) and those whose Authentication-Results say dkim=pass / dmarc=pass: proof
# that each peer did the whole check on every message.
#
#   mvn -B -q package -DskipTests && bash dmarc-bench/milter-bench.sh [COUNT] [SESSIONS] [WARMUP]
#
# Runs as root (Postfix) in a network and mount namespace of its own (unshare): port 53 and
# /etc/resolv.conf are this run's, so nsd can serve examples/zones on 127.0.0.1:53 to all three
# milters alike. Needs the Debian packages postfix, nsd, opendkim, opendmarc.
# ONLY=dmarcj measures dmarcj's milter alone (no opendkim/opendmarc run).
# KEEP=1 keeps the work folder (Postfix logs, the delivered messages) under /tmp.
# The message is examples/messages/legit.eml (DKIM-signed by example.com, DMARC pass through
# DKIM) from client 203.0.113.1 (SPF fail); every peer checks SPF, DKIM and DMARC.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-2000}
SESSIONS=${2:-4}
WARMUP=${3:-500}
if [ -z "${MILTER_BENCH_NS:-}" ]; then
  exec unshare --mount --net env MILTER_BENCH_NS=1 bash "$0" "$COUNT" "$SESSIONS" "$WARMUP"
fi
for tool in postfix nsd opendkim opendmarc smtp-source; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "missing $tool" >&2; exit 1; }
done
JAR=dmarc-cli/target/dmarc.jar
[ -f "$JAR" ] || { echo "build $JAR first: mvn -B -q package -DskipTests" >&2; exit 1; }
ip link set lo up
# The SMTP client's address: not loopback (OpenDMARC's own SPF check passes loopback clients
# without a lookup), and not in example.com's SPF record, so every peer evaluates SPF to fail.
ip addr add 203.0.113.1/32 dev lo
W=$(mktemp -d /tmp/milter-bench.XXXXXX)
chmod 755 "$W"
PIDS=()
cleanup() {
  postfix -c "$W/postfix/etc" stop >/dev/null 2>&1 || true
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 1
  [ -n "${KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT

# DNS: nsd serving the example zones; this namespace's resolv.conf points at it.
mkdir -p "$W/nsd"
cp examples/zones/*.zone "$W/nsd/"
{
  printf 'server:\n  ip-address: 127.0.0.1@53\n  do-ip6: no\n  username: ""\n  chroot: ""\n'
  printf '  zonesdir: "%s"\n  pidfile: "%s/nsd.pid"\n  database: ""\n' "$W/nsd" "$W/nsd"
  printf '  xfrdfile: "%s/xfrd.state"\n  xfrdir: "%s"\n  zonelistfile: "%s/zone.list"\n' "$W/nsd" "$W/nsd" "$W/nsd"
  printf '  logfile: "%s/nsd.log"\n  server-count: 1\nremote-control:\n  control-enable: no\n' "$W/nsd"
  for z in example.com example.net example.org; do printf 'zone:\n  name: %s\n  zonefile: %s.zone\n' "$z" "$z"; done
} > "$W/nsd/nsd.conf"
nsd -d -c "$W/nsd/nsd.conf" > "$W/nsd/out" 2>&1 &
PIDS+=($!)
printf 'nameserver 127.0.0.1\n' > "$W/resolv.conf"
mount --bind "$W/resolv.conf" /etc/resolv.conf

# Postfix: private instance, smtpd on 203.0.113.1:2525; each accepted message is written to a file
# of its own under $W/mail, so the run can count the Authentication-Results each peer added.
P="$W/postfix"
mkdir -p "$P/etc" "$P/spool" "$P/data"
chown postfix "$P/data"
cp /etc/postfix/dynamicmaps.cf "$P/etc/" 2>/dev/null || true
postfix_conf() { # $1 = smtpd_milters
  cat > "$P/etc/main.cf" <<CONF
compatibility_level = 3.6
config_directory = $P/etc
queue_directory = $P/spool
data_directory = $P/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.example.net
mydestination =
relay_domains = example.net
inet_interfaces = 203.0.113.1
inet_protocols = ipv4
smtpd_relay_restrictions = reject_unauth_destination
relay_transport = capture:
default_transport = capture:
maillog_file = /dev/stdout
smtpd_milters = $1
milter_default_action = tempfail
alias_maps =
alias_database =
biff = no
CONF
  cat > "$P/etc/master.cf" <<CONF
203.0.113.1:2525 inet n - n - - smtpd
pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
proxymap unix - - n - - proxymap
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
capture unix - n n - - pipe user=nobody argv=/usr/bin/dd of=$W/mail/\${queue_id} status=none
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
CONF
}
await_port() {
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on $1 port $2" >&2
  return 1
}
cpu_ticks() { # utime + stime of the given processes, in clock ticks
  local sum=0
  for p in "$@"; do
    read -r -a f < "/proc/$p/stat"
    # Fields after the command name (which is in parentheses and has no spaces here).
    sum=$((sum + f[13] + f[14]))
  done
  echo "$sum"
}
TICK=$(getconf CLK_TCK)
send() { # $1 = messages
  smtp-source -s "$SESSIONS" -m "$1" -f alice@example.com -t bob@example.net \
    -F examples/messages/legit.eml 203.0.113.1:2525
}
measure() { # $1 = peer name; rest = milter pids
  local name=$1
  shift
  rm -rf "$W/mail"
  mkdir -m 1777 "$W/mail"
  postfix -c "$P/etc" start-fg > "$W/maillog.$name" 2>&1 &
  PIDS+=($!)
  await_port 203.0.113.1 2525
  send "$WARMUP"
  local before start end after
  before=$(cpu_ticks "$@")
  start=$(date +%s.%N)
  send "$COUNT"
  end=$(date +%s.%N)
  after=$(cpu_ticks "$@")
  # Let the queue drain into $W/mail (at most 30 s), then stop Postfix.
  for _ in $(seq 1 300); do
    [ "$(find "$W/mail" -type f | wc -l)" -ge $((COUNT + WARMUP)) ] && break
    sleep 0.1
  done
  postfix -c "$P/etc" stop > /dev/null
  sleep 1
  local delivered dkim dmarc
  delivered=$(find "$W/mail" -type f | wc -l)
  dkim=$( (grep -l 'dkim=pass' -r "$W/mail" || true) | wc -l)
  dmarc=$( (grep -l 'dmarc=pass' -r "$W/mail" || true) | wc -l)
  awk -v peer="$name" -v n="$COUNT" -v s="$start" -v e="$end" -v c=$((after - before)) \
    -v t="$TICK" -v d="$delivered" -v k="$dkim" -v m="$dmarc" 'BEGIN {
    printf "{\"peer\":\"%s\",\"messages\":%d,\"seconds\":%.2f,\"messagesPerSecond\":%.1f,\"milterCpuSeconds\":%.2f,\"milterCpuMillisPerMessage\":%.3f,\"delivered\":%d,\"dkimPass\":%d,\"dmarcPass\":%d}\n",
      peer, n, e - s, n / (e - s), c / t, 1000 * c / t / n, d, k, m }'
  find "$W/mail" -type f | head -1 | xargs sed -n '1,/^$/p' | grep -A4 '^Authentication-Results' >&2 || true
}

# dmarcj
cat > "$W/dmarcj.conf" <<CONF
Socket inet:8893@127.0.0.1
ControlSocket none
AuthservID mx.example.net
Nameservers 127.0.0.1
RejectFailures false
QuarantineAction none
CONF
java -XX:+UseSerialGC -Xmx256m -jar "$JAR" milter --config "$W/dmarcj.conf" > "$W/dmarcj.log" 2>&1 &
DMARCJ=$!
PIDS+=($DMARCJ)
await_port 127.0.0.1 8893
postfix_conf "inet:127.0.0.1:8893"
measure "dmarcj milter" "$DMARCJ"
kill "$DMARCJ"
[ "${ONLY:-}" != dmarcj ] || exit 0

# opendkim (verify only) + opendmarc (SPF checked by itself), same DNS, same message
cat > "$W/opendkim.conf" <<CONF
Mode v
Socket inet:8891@127.0.0.1
AuthservID mx.example.net
Syslog no
Background no
Nameservers 127.0.0.1
PidFile $W/opendkim.pid
CONF
printf '192.0.2.254\n' > "$W/ignore.hosts"
cat > "$W/opendmarc.conf" <<CONF
Socket inet:8892@127.0.0.1
AuthservID mx.example.net
TrustedAuthservIDs mx.example.net
IgnoreHosts $W/ignore.hosts
SPFSelfValidate true
SPFIgnoreResults true
RejectFailures false
Syslog false
Background false
PidFile $W/opendmarc.pid
PublicSuffixList /usr/share/publicsuffix/public_suffix_list.dat
CONF
opendkim -f -x "$W/opendkim.conf" > "$W/opendkim.log" 2>&1 &
ODKIM=$!
PIDS+=($ODKIM)
opendmarc -f -c "$W/opendmarc.conf" > "$W/opendmarc.log" 2>&1 &
ODMARC=$!
PIDS+=($ODMARC)
await_port 127.0.0.1 8891
await_port 127.0.0.1 8892
postfix_conf "inet:127.0.0.1:8891, inet:127.0.0.1:8892"
measure "opendkim 2.11.0~beta2 + opendmarc 1.4.2" "$ODKIM" "$ODMARC"
