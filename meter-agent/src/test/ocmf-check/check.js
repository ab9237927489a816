// Checks OCMF lines with @road-labs/ocmf, an implementation independent of ours.
// Usage: node check.js <public-key.pem> <lines.txt>
// Prints one JSON object per input line: {"line":n,"verified":true|false,"times":[...],"error":"..."}.
// Exit status 0 when every line was checked (verified or not), 2 on a usage or file error.
'use strict';
const fs = require('node:fs');
const { Verifier, parseDate } = require('@road-labs/ocmf');
const { Crypto } = require('@road-labs/ocmf-crypto-noble');

async function main() {
  const [keyFile, linesFile] = process.argv.slice(2);
  if (!keyFile || !linesFile) {
    console.error('usage: node check.js <public-key.pem> <lines.txt>');
    process.exit(2);
  }
  const pem = fs.readFileSync(keyFile, 'utf8');
  const body = pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
  const crypto = new Crypto();
  const publicKey = await crypto.decodeEcPublicKey(new Uint8Array(Buffer.from(body, 'base64')), 'spki-der');
  const verifier = new Verifier(crypto);
  const lines = fs.readFileSync(linesFile, 'utf8').split('\n').filter((l) => l.length > 0);
  for (let i = 0; i < lines.length; i++) {
    const out = { line: i + 1, verified: false };
    try {
      const result = await verifier.parseAndVerify(lines[i], publicKey);
      out.verified = result.verified;
      if (result.verified) {
        // The library's own TM parser: "<date> <sync flag>" with the date as yyyy-MM-dd'T'HH:mm:ss,SSSxxxx.
        out.times = result.value.payloadData.RD.map((r) => {
          const [date, sync] = parseDate(r.TM);
          return { instant: date.toISOString(), sync };
        });
      }
    } catch (e) {
      out.error = String(e && e.message ? e.message : e);
    }
    console.log(JSON.stringify(out));
  }
}

main().catch((e) => {
  console.error(String(e && e.stack ? e.stack : e));
  process.exit(2);
});
