/**
 * Today's sales as CSV (RFC 4180: CRLF lines, quotes doubled, fields with , " CR LF quoted). A cell
 * a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading ' so
 * opening the export never executes what a bill number said.
 */
import type { Sale } from './sale.js';

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: formula-guarded, then quoted when it must be. */
export function csvCell(value: string): string {
  const guarded = FORMULA_START.test(value) ? "'" + value : value;
  return /[",\r\n]/.test(guarded) ? '"' + guarded.replace(/"/g, '""') + '"' : guarded;
}

export const CSV_HEADER = ['time', 'amount', 'bill_number', 'fee', 'payload'] as const;

/** The sales as a CSV document with a header row; a UTF-8 BOM lets spreadsheets read merchant names. */
export function salesCsv(sales: readonly Sale[]): string {
  const rows = [CSV_HEADER.join(',')];
  for (const s of sales) rows.push([s.time, s.amount, s.billNumber ?? '', s.fee ?? '', s.payload].map(csvCell).join(','));
  return '\uFEFF' + rows.join('\r\n') + '\r\n';
}
