// SPDX-License-Identifier: Apache-2.0
//
// mailauth 4.13.3 authenticate() over the diverse corpus written by
// io.github.dmarcj.bench.corpus.DiverseCorpus, with DNS answered from the corpus's dns.json:
// the same messages, envelopes and DNS data dmarcj verifies in CorpusCpuPerMessage and with
// `dmarc verify --batch`. One message at a time on one core, as mailauth runs.
//
//   node corpus-bench.js steady DIR [ROUNDS] [WARM_ROUNDS]   CPU per message, messages in memory
//   node corpus-bench.js batch DIR [REQUESTS]                 the requests in order, each message
//                                                             read from its file, from process start
//
// Prints JSON lines; each result line also counts the DMARC results, to compare with dmarcj's.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { authenticate } = require('mailauth');

const mode = process.argv[2];
const dir = process.argv[3];
const dns = JSON.parse(fs.readFileSync(path.join(dir, 'dns.json'), 'utf8'));
const requests = fs
    .readFileSync(path.join(dir, 'requests.jsonl'), 'utf8')
    .split('\n')
    .filter(l => l.trim())
    .map(l => JSON.parse(l));

// A name that has some record, or a name below which one exists, is there (NODATA); others are
// NXDOMAIN (ENOTFOUND), as the zone file serves them to dmarcj.
const present = new Set();
for (const name of Object.keys(dns)) {
    const labels = name.split('.');
    for (let i = 0; i < labels.length; i++) present.add(labels.slice(i).join('.'));
}
const resolver = async (name, rrtype) => {
    const n = name.toLowerCase().replace(/\.$/, '');
    const entry = dns[n];
    if (entry && entry[rrtype]) return entry[rrtype];
    const err = new Error(`no ${rrtype} for ${name}`);
    err.code = present.has(n) ? 'ENODATA' : 'ENOTFOUND';
    throw err;
};

function options(r) {
    return {
        ip: r.clientIp,
        helo: r.helo,
        sender: r.mailFrom,
        mta: 'mx.receiver.example',
        resolver,
        disableArc: true,
        disableBimi: true
    };
}

async function steady() {
    const rounds = Number(process.argv[4] || 3);
    const warm = Number(process.argv[5] || 1);
    const messages = requests.map(r => fs.readFileSync(path.join(dir, r.message)));
    for (let w = 0; w < warm; w++) {
        for (let i = 0; i < requests.length; i++) await authenticate(messages[i], options(requests[i]));
    }
    for (let round = 1; round <= rounds; round++) {
        const counts = {};
        const start = process.hrtime.bigint();
        const cpu0 = process.cpuUsage();
        for (let i = 0; i < requests.length; i++) {
            const res = await authenticate(messages[i], options(requests[i]));
            const k = res.dmarc ? res.dmarc.status.result : 'none';
            counts[k] = (counts[k] || 0) + 1;
        }
        const cpu = process.cpuUsage(cpu0);
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        const micros = (cpu.user + cpu.system) / requests.length;
        console.log(JSON.stringify({ peer: 'mailauth 4.13.3', mode: 'steady', round, messages: requests.length,
            seconds, cpuMicrosPerMessage: micros, messagesPerCpuSecond: 1e6 / micros, dmarc: counts }));
    }
}

async function batch() {
    const total = Number(process.argv[4] || requests.length);
    const counts = {};
    for (let i = 0; i < total; i++) {
        const r = requests[i % requests.length];
        const message = fs.readFileSync(path.join(dir, r.message));
        const res = await authenticate(message, options(r));
        const k = res.dmarc ? res.dmarc.status.result : 'none';
        counts[k] = (counts[k] || 0) + 1;
    }
    console.log(JSON.stringify({ peer: 'mailauth 4.13.3', mode: 'batch', messages: total, dmarc: counts }));
}

(mode === 'batch' ? batch() : steady()).catch(err => {
    console.error(err);
    process.exit(1);
});
