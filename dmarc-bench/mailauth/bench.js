// SPDX-License-Identifier: Apache-2.0
//
// mailauth 4.13.3 authenticate() on the same 4 KB signed message as the JMH VerifyBenchmark,
// with DNS answered from memory (the example zone), one message at a time on one core.
//
//   cd dmarc-bench/mailauth && npm ci && node bench.js [COUNT] [SECONDS]
//
// Prints messages per second (wall clock) and CPU time per message (process.cpuUsage, all of
// Node's threads) for COUNT messages (default 10000), after SECONDS of warm-up (default 3).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { authenticate } = require('mailauth');

const RES = path.join(__dirname, '..', 'src', 'main', 'resources', 'bench');
const message = fs.readFileSync(path.join(RES, 'message-4k.eml'));
const zoneText = fs.readFileSync(path.join(RES, 'example.com.zone'), 'utf8');

// The few TXT records of the example zone, strings kept apart as a DNS answer would.
const txt = {};
for (const line of zoneText.split('\n')) {
    const m = line.match(/^(\S+)\s+IN\s+TXT\s+(.*)$/);
    if (!m) continue;
    const owner = m[1] === '@' ? 'example.com' : `${m[1]}.example.com`;
    (txt[owner] = txt[owner] || []).push(m[2].match(/"([^"]*)"/g).map(s => s.slice(1, -1)));
}
const names = new Set(['example.com', 'mail.example.com', 'ns1.example.com', ...Object.keys(txt)]);
const resolver = async (name, rrtype) => {
    const n = name.toLowerCase().replace(/\.$/, '');
    if (rrtype === 'TXT' && txt[n]) return txt[n];
    const err = new Error(`no ${rrtype} for ${name}`);
    err.code = names.has(n) ? 'ENODATA' : 'ENOTFOUND';
    throw err;
};

const opts = {
    ip: '192.0.2.25',
    helo: 'mail.example.com',
    sender: 'alice@example.com',
    mta: 'mx.example.net',
    resolver,
    disableArc: true,
    disableBimi: true
};

async function main() {
    const count = Number(process.argv[2] || 10000);
    const warmSeconds = Number(process.argv[3] || 3);
    const first = await authenticate(message, opts);
    if (first.dmarc.status.result !== 'pass' || first.dkim.results[0].status.result !== 'pass') {
        throw new Error('benchmark message does not pass in mailauth: ' + first.headers);
    }
    const warmEnd = Date.now() + warmSeconds * 1000;
    while (Date.now() < warmEnd) {
        await authenticate(message, opts);
    }
    const start = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < count; i++) {
        await authenticate(message, opts);
    }
    const cpu = process.cpuUsage(cpu0);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpuMicrosPerMessage = (cpu.user + cpu.system) / count;
    console.log(
        JSON.stringify({
            peer: 'mailauth 4.13.3',
            messages: count,
            seconds,
            messagesPerSecond: count / seconds,
            cpuMicrosPerMessage,
            messagesPerCpuSecond: 1e6 / cpuMicrosPerMessage
        })
    );
}

main().catch(err => {
    console.error(err);
    process.exit(1);
});
