/**
 * Sales as CSV for a spreadsheet in the shop's language. Excel with Indonesian settings splits on
 * `;` and reads `,` as the decimal mark, so `;` is the default (`,` can be chosen for English
 * settings). Every text cell is quoted, so no separator inside a bill number or a merchant name
 * can split it, and a text cell that a spreadsheet would run as a formula (= + - @, also after
 * leading spaces, a tab or CR) gets a leading '. Numbers are written by the page itself (digits
 * and the decimal mark of the separator's locale). Times are local, as on the shop's clock.
 */
import type { SaleRecord } from './ledger.js';
import { feeSen, senText, toSen } from './money.js';
import type { Payment } from './payment.js';

export type Separator = ';' | ',';

const FORMULA_START = /^[\s]*[=+\-@]|^[\t\r\n]/;

/** A text cell: formula-guarded, always quoted. */
export function textCell(value: string): string {
  const guarded = FORMULA_START.test(value) ? "'" + value : value;
  return '"' + guarded.replace(/"/g, '""') + '"';
}

/** A number cell from an amount text ("25000.5"): the decimal mark a `sep` locale reads. */
export function numberCell(amount: string, sep: Separator): string {
  if (!/^\d+(\.\d+)?$/.test(amount)) return textCell(amount);
  return sep === ';' ? amount.replace('.', ',') : amount;
}

export interface CsvWords {
  readonly header: readonly string[];
  readonly status: Readonly<Record<SaleRecord['status'], string>>;
  readonly tip: string;
}

/** One row per record: date, time, status, amount, fee, total, bill, merchant, NMID, account, code. */
export function salesCsv(records: readonly SaleRecord[], read: (payload: string) => Payment | null, words: CsvWords, sep: Separator = ';'): string {
  const rows = [words.header.map(textCell).join(sep)];
  const p2 = (n: number) => String(n).padStart(2, '0');
  for (const r of records) {
    const d = new Date(r.time);
    const date = `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}`;
    const time = `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
    const p = read(r.payload);
    const fee = p === null ? null : feeSen(p.amount, p.fee);
    const base = p === null ? null : toSen(p.amount);
    const cells = [
      textCell(date),
      textCell(time),
      textCell(words.status[r.status]),
      p === null ? '' : numberCell(p.amount, sep),
      p === null ? '' : fee === null ? textCell(words.tip) : numberCell(senText(fee), sep),
      base === null || fee === null ? '' : numberCell(senText(base + fee), sep),
      textCell(p?.billNumber ?? ''),
      textCell(p?.merchantName ?? ''),
      textCell(p?.nmid ?? ''),
      textCell(p?.account ?? ''),
      textCell(r.payload),
    ];
    rows.push(cells.join(sep));
  }
  // A UTF-8 BOM lets Excel read merchant names with non-ASCII letters.
  return '\uFEFF' + rows.join('\r\n') + '\r\n';
}
