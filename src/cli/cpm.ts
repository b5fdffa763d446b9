/**
 * The CLI and `qris serve` facing a consumer-presented (CPM) code: recognised by its `hQVDUFY`
 * prefix and answered with the CPM reading instead of `BAD_ID`. The PAN is always masked here: a
 * terminal, a log or an HTTP answer is a display.
 */
import { cpmInfo, looksLikeCpm, toHex, validateCpm, type CpmApplication, type CpmInfo } from '../cpm/index.js';
import { block, type Row } from './format.js';

export { cpmInfo, looksLikeCpm, validateCpm };

/** `qris info` in words, one block per application. */
export function formatCpmInfo(info: CpmInfo, extra: readonly Row[] = []): string {
  const n = info.applications.length;
  let out = block([
    ...extra,
    ['Type', `consumer-presented (CPM): a payer's app shows this code for the merchant to scan${info.payloadFormat ? ` (${info.payloadFormat})` : ''}`],
    ['Applications', n === 2 ? '2 (the merchant chooses one)' : String(n)],
  ]);
  info.applications.forEach((a, i) => {
    out += `Application ${i + 1}\n` + block(appRows(a), '  ');
  });
  if (info.commonTransparentData) out += `Common data (64): ${info.commonTransparentData.length} bytes for the acquirer\n`;
  if (info.otherObjects.length) out += `Other objects: ${info.otherObjects.map((o) => o.tag).join(', ')} (kept, not interpreted)\n`;
  return out;
}

function appRows(a: CpmApplication): Row[] {
  const rows: [string, string | undefined][] = [
    ['AID', a.aid === undefined ? 'none (a POI skips this template)' : a.aid + (a.qris ? ' (QRIS)' : '')],
    ['Label', a.label],
    ['Priority', a.priority === undefined ? undefined : String(a.priority)],
    ['PAN', a.maskedPan === undefined ? undefined : `${a.maskedPan} (from ${a.panSource === '57' ? 'Track 2' : '5A'})`],
    ['Expiry', a.expiry === undefined ? undefined : `${a.expiry.slice(2)}/${a.expiry.slice(0, 2)} (MM/YY)`],
    ['Service code', a.serviceCode],
    ['Issuer', a.qris ? `${a.qris.institution ?? 'unknown institution'} (NNS ${a.qris.nns ?? '?'})` : undefined],
    ['Cardholder', a.cardholderName],
    ['Languages', a.languages.length ? a.languages.join(', ') : undefined],
    ['Issuer URL', a.issuerUrl],
    ['Token req. ID', a.tokenRequestorId],
    ['PAR', a.par],
    ['Last 4 (9F25)', a.last4],
    ['Issuer data', a.qris?.issuerData ? `${a.qris.issuerData.length} bytes (9F74)` : undefined],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== undefined);
}

/** cpmInfo as JSON: bytes as hex, the PAN masked (cpmInfo leaves `pan` out unless asked). */
export function cpmInfoJson(info: CpmInfo): unknown {
  return JSON.parse(JSON.stringify(info, (_k, v: unknown) => (v instanceof Uint8Array ? toHex(v) : v))) as unknown;
}
