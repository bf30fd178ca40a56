// SPDX-License-Identifier: Apache-2.0
//
// Generates the dmarcj/mailauth cross-check data: a matrix of DMARC scenarios (strict/relaxed
// alignment x SPF and DKIM aligned or not x p/sp/np), each with its own in-memory DNS, a message
// DKIM-signed by mailauth's signer, and mailauth's authenticate() result for it.
//
//   cd dmarc-bench/mailauth && npm ci && node crosscheck.js
//
// writes ../../dmarc-cli/src/test/resources/crosscheck/{scenarios.json,mailauth-results.json}:
// scenarios.json = { sharedDns, scenarios: [{ id, ip, helo, mailFrom, now, dmarcRecord, message }] }.
// The Java test CrossCheckMailauthTest reads both and needs neither Node nor the network.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { authenticate, dkimSign } = require('mailauth');

const OUT = path.join(__dirname, '..', '..', 'dmarc-cli', 'src', 'test', 'resources', 'crosscheck');
const KEY = fs.readFileSync(
    path.join(__dirname, '..', '..', 'examples', 'keys', 'example.com.sel2026.TEST-ONLY.private.pem'), 'utf8');
const ZONE = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'zones', 'example.com.zone'), 'utf8');
const DKIM_KEY_STRINGS = ZONE.match(/sel2026\._domainkey\s+IN TXT\s+(.*)/)[1].match(/"([^"]*)"/g).map(s => s.slice(1, -1));
const SIGN_TIME = new Date(1795773600 * 1000);
const NOW = 1795773660;

const GOOD_IP = '192.0.2.25'; // in the SPF of every example.com name below
const BAD_IP = '203.0.113.9'; // in no SPF record
const THIRD_PARTY_IP = '198.51.100.7'; // example.net's sender

// A resolver over a plain object { name: { TXT: [[strings]], A: [...] } }:
// name with the type -> records; name without it -> ENODATA; unknown name -> ENOTFOUND.
function zoneResolver(zone) {
    return async (name, rrtype) => {
        const node = zone[name.toLowerCase().replace(/\.$/, '')];
        const fail = code => {
            const err = new Error(`${code} ${name} ${rrtype}`);
            err.code = code;
            throw err;
        };
        if (!node) {
            fail('ENOTFOUND');
        }
        const rows = node[rrtype];
        if (!rows || !rows.length) {
            fail('ENODATA');
        }
        return rows;
    };
}

const FROM_KINDS = {
    org: 'example.com', // the Organizational Domain itself: p applies
    sub: 'news.example.com', // an existing subdomain without its own record: sp applies
    nx: 'ghost.example.com' // a non-existent subdomain (no name at or below it): np applies (RFC 9989)
};
const POLICIES = {
    split: 'p=reject; sp=quarantine; np=none',
    ponly: 'p=quarantine'
};
const DKIM_KINDS = {
    none: null,
    exact: from => from, // d= the From domain
    org: () => 'example.com', // d= the Organizational Domain
    unrelated: () => 'example.net', // d= another organization
    broken: from => from // d= the From domain but the body is altered after signing
};
const SPF_KINDS = {
    org: { mailFrom: 'bounce@example.com', ip: GOOD_IP },
    sub: { mailFrom: 'bounce@bounces.example.com', ip: GOOD_IP },
    unrelated: { mailFrom: 'bounce@example.net', ip: THIRD_PARTY_IP },
    fail: { mailFrom: 'bounce@example.com', ip: BAD_IP }
};

function zoneFor(policy, adkim, aspf) {
    const spf = [['v=spf1 ip4:192.0.2.0/24 -all']];
    const zone = {
        'example.com': { TXT: spf, A: ['192.0.2.80'] },
        'news.example.com': { A: ['192.0.2.81'] },
        'bounces.example.com': { TXT: spf },
        'mail.example.com': { A: ['192.0.2.25'] },
        '_dmarc.example.com': {
            TXT: [[`v=DMARC1; ${POLICIES[policy]}; adkim=${adkim}; aspf=${aspf}; rua=mailto:dmarc@example.com`]]
        },
        'sel2026._domainkey.example.com': { TXT: [['v=DKIM1; k=rsa; p=' + DKIM_KEY_STRINGS.join('').replace(/^v=DKIM1; k=rsa; p=/, '')]] },
        'sel2026._domainkey.news.example.com': { TXT: [['v=DKIM1; k=rsa; p=' + DKIM_KEY_STRINGS.join('').replace(/^v=DKIM1; k=rsa; p=/, '')]] },
        'example.net': { TXT: [['v=spf1 ip4:198.51.100.0/24 -all']] },
        'sel2026._domainkey.example.net': { TXT: [['v=DKIM1; k=rsa; p=' + DKIM_KEY_STRINGS.join('').replace(/^v=DKIM1; k=rsa; p=/, '')]] }
    };
    return zone;
}

function baseMessage(id, from) {
    return [
        `From: Sender <someone@${from}>`,
        'To: Recipient <rcpt@example.org>',
        `Subject: cross-check ${id}`,
        'Date: Fri, 27 Nov 2026 10:00:00 +0000',
        `Message-ID: <${id}@crosscheck.invalid>`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        `Scenario ${id}.`,
        'The body is short on purpose.',
        ''
    ].join('\r\n');
}

async function main() {
    const scenarios = [];
    const results = [];
    for (const fromKind of Object.keys(FROM_KINDS)) {
        for (const policy of Object.keys(POLICIES)) {
            for (const adkim of ['r', 's']) {
                for (const aspf of ['r', 's']) {
                    for (const dkimKind of Object.keys(DKIM_KINDS)) {
                        for (const spfKind of Object.keys(SPF_KINDS)) {
                            const id = `${fromKind}-${policy}-adkim_${adkim}-aspf_${aspf}-dkim_${dkimKind}-spf_${spfKind}`;
                            const from = FROM_KINDS[fromKind];
                            const zone = zoneFor(policy, adkim, aspf);
                            let message = baseMessage(id, from);
                            if (DKIM_KINDS[dkimKind]) {
                                const d = DKIM_KINDS[dkimKind](from);
                                const signed = await dkimSign(message, {
                                    canonicalization: 'relaxed/relaxed',
                                    signTime: SIGN_TIME,
                                    signatureData: [{ signingDomain: d, selector: 'sel2026', privateKey: KEY, algorithm: 'rsa-sha256' }]
                                });
                                if (signed.errors && signed.errors.length) {
                                    throw new Error(`${id}: ${JSON.stringify(signed.errors)}`);
                                }
                                message = signed.signatures + message;
                                if (dkimKind === 'broken') {
                                    message = message.replace('The body is short on purpose.', 'The body was changed in transit.');
                                }
                            }
                            const env = SPF_KINDS[spfKind];
                            const scenario = {
                                id,
                                ip: env.ip,
                                helo: 'client.example.net',
                                mailFrom: env.mailFrom,
                                now: NOW,
                                dmarcRecord: zone['_dmarc.example.com'].TXT[0].join(''),
                                message
                            };
                            scenarios.push(scenario);
                            const res = await authenticate(message, {
                                ip: env.ip,
                                helo: 'client.example.net',
                                sender: env.mailFrom,
                                mta: 'mx.example.org',
                                resolver: zoneResolver(zone),
                                disableArc: true,
                                disableBimi: true
                            });
                            results.push({
                                id,
                                spf: { result: res.spf.status.result, domain: res.spf.domain || null },
                                dkim: (res.dkim.results || [])
                                    .filter(r => r.signingDomain)
                                    .map(r => ({ result: r.status.result, domain: r.signingDomain, selector: r.selector })),
                                dmarc: res.dmarc
                                    ? {
                                          result: res.dmarc.status.result,
                                          policy: res.dmarc.policy || null,
                                          spfAligned: !!(res.dmarc.alignment && res.dmarc.alignment.spf.result),
                                          dkimAligned: !!(res.dmarc.alignment && res.dmarc.alignment.dkim.result)
                                      }
                                    : null,
                                authenticationResults: res.headers.split('\r\n').filter(l => l).join('\r\n')
                            });
                        }
                    }
                }
            }
        }
    }
    fs.mkdirSync(OUT, { recursive: true });
    // Every scenario shares the DNS below except _dmarc.example.com, given per scenario.
    const shared = zoneFor('ponly', 'r', 'r');
    delete shared['_dmarc.example.com'];
    fs.writeFileSync(path.join(OUT, 'scenarios.json'), JSON.stringify({ sharedDns: shared, scenarios }, null, 1) + '\n');
    fs.writeFileSync(path.join(OUT, 'mailauth-results.json'), JSON.stringify(results, null, 1) + '\n');
    console.log(`${scenarios.length} scenarios written to ${OUT}`);
}

main().catch(err => {
    console.error(err);
    process.exit(1);
});
