/**
 * Human output: aligned label/value blocks, errors that point at the offending character, and the
 * JSON shapes the `--json` flag prints.
 */
import type { QrisError } from '../errors.js';
import { KIND_WORDS, type QrisInfo } from '../index.js';
import { columns } from './args.js';
import { qrisErrorOf } from './payload-error.js';

export type Row = readonly [label: string, value: string];

/** Label/value rows, labels padded to one column. Rows with an empty value are dropped. */
export function block(rows: readonly (Row | undefined | false)[], indent = ''): string {
  const kept = rows.filter((r): r is Row => !!r && r[1] !== '');
  return columns(kept, indent).join('\n') + '\n';
}

/**
 * `12345.50` → `12.345,50`: a number as Indonesians read it, thousands grouped with '.' and a
 * decimal comma (`IDR 25,000` reads as twenty-five). Decimals are kept as written.
 */
export function groupThousands(text: string): string {
  const dot = text.indexOf('.');
  const int = dot < 0 ? text : text.slice(0, dot);
  const frac = dot < 0 ? '' : text.slice(dot + 1);
  let out = '';
  for (let i = 0; i < int.length; i++) {
    if (i > 0 && (int.length - i) % 3 === 0) out += '.';
    out += int[i];
  }
  return frac === '' ? out : out + ',' + frac;
}

/** `Rp 25.000` for rupiah, `THB 1.250,50` for another currency (not `formatAmount`, which writes tag 54). */
export function displayMoney(text: string, currency: QrisInfo['currency']): string {
  if (currency?.numeric === '360') return `Rp ${groupThousands(text)}`;
  const cur = currency?.code ?? currency?.numeric ?? '';
  return `${cur ? cur + ' ' : ''}${groupThousands(text)}`;
}

/** The amount of a code for people to read: `Rp 25.000`, `Rp 25.000,50`. */
export function displayAmount(info: QrisInfo): string {
  if (!info.amount) return '';
  return displayMoney(info.amount.text, info.currency);
}

export function formatTip(info: QrisInfo): string {
  const t = info.tip;
  if (!t) return '';
  if (t.type === 'prompt') return 'payer enters a tip';
  if (t.type === 'fixed') return `fixed fee ${displayMoney(t.value, info.currency)}`;
  return `fee ${groupThousands(t.value)}%`;
}

/** The aligned `qris info` text. */
export function formatInfo(info: QrisInfo, extra: readonly Row[] = []): string {
  const poi = info.pointOfInitiation ? ` (${info.pointOfInitiation})` : '';
  const cur = info.currency ? (info.currency.code ? `${info.currency.code} (${info.currency.numeric})` : info.currency.numeric) : '';
  const rows: (Row | false)[] = [
    ...extra,
    ['Kind', `${info.kind}: ${KIND_WORDS[info.kind]}`],
    ['Scheme', info.scheme ? schemeText(info.scheme) : ''],
    ['Type', (info.isDynamic ? 'dynamic' : 'static') + poi],
    ['Merchant', info.merchantName ?? ''],
    ['City', info.merchantCity ?? ''],
    ['Postal code', info.postalCode ?? ''],
    ['Country', info.countryCode ?? ''],
    ['Currency', cur],
    ['Category (MCC)', info.mcc ?? ''],
    ['Amount', displayAmount(info) || (info.isDynamic ? '' : 'none (payer enters it)')],
    ['Tip / fee', formatTip(info)],
    ['NMID', info.nmid ?? ''],
    ['National GUID', info.national?.guid ?? ''],
    ['Criteria', info.merchantCriteria ?? ''],
    ['CRC', `${info.crc.declared} ${info.crc.valid ? '(valid)' : `(INVALID: content gives ${info.crc.computed})`}`],
  ];
  let out = block(rows);
  if (info.accounts.length) {
    out += 'Accounts\n';
    const accRows: Row[] = info.accounts.map((a) => {
      const parts = [a.guid ?? '', a.acquirer ? `(${a.acquirer})` : ''].filter(Boolean).join(' ');
      const ids = [a.pan ? `PAN ${a.pan}` : '', a.merchantId ? `MID ${a.merchantId}` : '', a.criteria ? `criteria ${a.criteria}` : '']
        .filter(Boolean)
        .join('  ');
      return [`  ${a.tag}`, [parts, ids].filter(Boolean).join('  ')];
    });
    out += columns(accRows).join('\n') + '\n';
  }
  const t = info.transfer;
  if (t) {
    out += 'Transfer\n';
    out += block(
      [
        ['Purpose', [t.purpose, t.purposeName ? `(${t.purposeName})` : ''].filter(Boolean).join(' ')],
        ['Beneficiary ID', t.beneficiaryId ?? ''],
        ['PAN', [t.pan, t.institution ? `(${t.institution})` : t.nns ? `(NNS ${t.nns}: not in the table)` : ''].filter(Boolean).join(' ')],
        ['BIC', t.bic ?? ''],
        ['Unique data', t.uniqueData ?? ''],
      ],
      '  ',
    );
  }
  const add: Row[] = [];
  for (const [k, v] of Object.entries(info.additionalData ?? {})) {
    if (typeof v === 'string') add.push([`  ${k}`, v]);
    else if (v && typeof v === 'object') for (const [id, raw] of Object.entries(v as Record<string, string>)) add.push([`  62/${id}`, raw]);
  }
  if (add.length) out += 'Additional data\n' + columns(add).join('\n') + '\n';
  if (info.language && (info.language.merchantName || info.language.merchantCity)) {
    out += block([
      ['Alt. language', info.language.preference ?? ''],
      ['Alt. name', info.language.merchantName ?? ''],
      ['Alt. city', info.language.merchantCity ?? ''],
    ]);
  }
  return out;
}

/** `PromptPay (Thailand): mobile 0066812223333`: the scheme and the fields info() read. */
function schemeText(s: NonNullable<QrisInfo['scheme']>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(s)) if (k !== 'profile' && k !== 'name' && v !== undefined) parts.push(`${k} ${String(v)}`);
  return parts.length ? `${s.name}: ${parts.join(', ')}` : s.name;
}

/**
 * A window of the text around `offset` with a caret under it, e.g.
 * ```
 *   …5802ID5922Warung6010Kab. Demak630458C8
 *                                      ^
 * ```
 */
export function pointAt(text: string, offset: number, width = 64): string {
  const at = Math.max(0, Math.min(offset, text.length));
  let start = Math.max(0, at - Math.floor(width / 2));
  const end = Math.min(text.length, start + width);
  start = Math.max(0, Math.min(start, end - width));
  const prefix = start > 0 ? '…' : '';
  const suffix = end < text.length ? '…' : '';
  const shown = text.slice(start, end).replace(/[\r\n\t]/g, ' ');
  return `  ${prefix}${shown}${suffix}\n  ${' '.repeat(prefix.length + at - start)}^\n`;
}

/**
 * A library message as a CLI user acts on it: the library names its option (`decimals: 2`), the
 * command line has a flag for it (`--decimals 2`).
 */
export function cliWording(message: string): string {
  return message.replace('(pass decimals: 2 to keep them)', '(pass --decimals 2 to keep them)');
}

/** One-line description of a QrisError with code, tag and offset, plus a caret line when the text is known. */
export function formatQrisError(err: QrisError, text?: string): string {
  let out = `error ${err.code}: ${cliWording(err.message)}\n`;
  if (err.expected !== undefined && err.actual !== undefined && err.code === 'CRC_MISMATCH') out += `  expected ${err.expected}, found ${err.actual}\n`;
  if (text !== undefined && err.offset !== undefined && text.length <= 4096) out += pointAt(text, err.offset);
  return out;
}

/** The JSON form of any error: QrisError fields, or `{ code, message }` for others. */
export function errorJson(err: unknown): Record<string, unknown> {
  const qrisError = qrisErrorOf(err);
  if (qrisError) {
    const j = qrisError.toJSON();
    return { ...j, message: cliWording(j.message) };
  }
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : err.name, message: err.message };
  }
  return { code: 'ERROR', message: String(err) };
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
