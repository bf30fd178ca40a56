// SPDX-License-Identifier: Apache-2.0
//
// mailauth 4.13.3 ARC validation of the same three-hop chain as the JMH ArcBenchmark
// (dmarc-bench/src/main/resources/bench/arc/chain-3.eml, keys from zone.txt in memory), one
// message at a time on one core. mailauth verifies ARC in two steps, as authenticate() does:
// dkimVerify() parses and hashes the message and checks every signature it finds (the three
// ARC-Message-Signatures, and also the author's DKIM-Signature, which this chain broke), then
// arc() checks the seals. Both steps are timed together.
//
//   cd dmarc-bench/mailauth && npm ci && node arc-bench.js [COUNT] [SECONDS]
//
// Prints messages per second (wall clock) and CPU time per message (process.cpuUsage, all of
// Node's threads) for COUNT messages (default 5000), after SECONDS of warm-up (default 3).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { dkimVerify } = require('mailauth/lib/dkim/verify');
const { arc } = require('mailauth/lib/arc');

const RES = path.join(__dirname, '..', 'src', 'main', 'resources', 'bench', 'arc');
const message = fs.readFileSync(path.join(RES, 'chain-3.eml'));
const txt = {};
for (const line of fs.readFileSync(path.join(RES, 'zone.txt'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const sp = line.indexOf(' ');
    txt[line.slice(0, sp).toLowerCase()] = [[line.slice(sp + 1).trim()]];
}
const resolver = async (name, rrtype) => {
    const n = name.toLowerCase().replace(/\.$/, '');
    if (rrtype === 'TXT' && txt[n]) return txt[n];
    const err = new Error(`no ${rrtype} for ${name}`);
    err.code = 'ENOTFOUND';
    throw err;
};

async function verify() {
    const dkimResult = await dkimVerify(message, { resolver });
    return arc(dkimResult.arc, { resolver });
}

async function main() {
    const count = Number(process.argv[2] || 5000);
    const warmSeconds = Number(process.argv[3] || 3);
    const first = await verify();
    if (first.status.result !== 'pass' || first.i !== 3) {
        throw new Error('benchmark chain does not pass in mailauth: ' + JSON.stringify(first.status));
    }
    const warmEnd = Date.now() + warmSeconds * 1000;
    while (Date.now() < warmEnd) {
        await verify();
    }
    const start = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < count; i++) {
        await verify();
    }
    const cpu = process.cpuUsage(cpu0);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpuMicrosPerMessage = (cpu.user + cpu.system) / count;
    console.log(
        JSON.stringify({
            peer: 'mailauth 4.13.3 dkimVerify + arc',
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
