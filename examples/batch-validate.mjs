// @ts-check
/**
 * A batch job: a file with one QRIS payload per line (an export of the merchants' stickers) is
 * checked line by line, and one JSON line per input goes to stdout. A summary goes to stderr; the
 * exit code is 1 when a line is invalid. Blank lines are skipped.
 *
 *   node examples/batch-validate.mjs merchants.txt > report.jsonl
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { info, validate } from 'qris-codec';

/**
 * The report for one line: valid or not, who the merchant is, and every error (warnings are counted).
 * @param {string} line
 * @param {number} n the line number, from 1
 */
export function checkLine(line, n) {
  const result = validate(line);
  const errors = result.issues.filter((i) => i.severity === 'error');
  const warnings = result.issues.length - errors.length;
  if (!result.valid) return { line: n, valid: false, errors: errors.map((i) => ({ code: i.code, message: i.message, tag: i.tag })), warnings };
  const meta = info(line);
  return { line: n, valid: true, merchant: meta.merchantName, city: meta.merchantCity, nmid: meta.nmid, dynamic: meta.isDynamic, warnings };
}

/**
 * Reads `path` line by line (a file of any size: one line in memory at a time).
 * @param {string} path
 * @param {(text: string) => void} write
 */
export async function checkFile(path, write) {
  let n = 0;
  let invalid = 0;
  let checked = 0;
  for await (const raw of createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })) {
    n++;
    const line = raw.trim();
    if (line === '') continue;
    const report = checkLine(line, n);
    checked++;
    if (!report.valid) invalid++;
    write(JSON.stringify(report) + '\n');
  }
  return { checked, invalid };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = process.argv[2];
  if (path === undefined) {
    console.error('usage: node examples/batch-validate.mjs <file with one payload per line>');
    process.exitCode = 2;
  } else {
    const { checked, invalid } = await checkFile(path, (text) => process.stdout.write(text));
    console.error(`${checked} checked, ${invalid} invalid`);
    process.exitCode = invalid > 0 ? 1 : 0;
  }
}
