/**
 * The batch reader as it was before chunked reading: readline, one `for await` per line. Kept as the
 * reference the chunked reader must match line for line (test/cli-lines.test.ts) and byte for byte
 * (test/cli-batch.test.ts), and as the baseline of bench/suites/batch.ts.
 */
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { toDynamic } from '../src/index.js';
import { isQrisError } from '../src/errors.js';
import { inputPreview } from '../src/cli/batch.js';

/** The old `runBatch` loop itself (one `for await` and one write per line), for the benchmark. */
export async function readlineConvertLines(
  source: NodeJS.ReadableStream,
  write: (text: string) => void,
  convert: (payload: string) => Promise<string>,
): Promise<number> {
  let lineNo = 0;
  let ok = 0;
  for await (const raw of createInterface({ input: source, crlfDelay: Infinity })) {
    lineNo++;
    const text = raw.trim();
    if (text === '') continue;
    let record: Record<string, unknown>;
    try {
      record = { line: lineNo, ok: true, input: text, qris: await convert(text), source: 'local' };
      ok++;
    } catch (e) {
      record = { line: lineNo, ok: false, input: inputPreview(text), error: isQrisError(e) ? e.toJSON() : { message: String(e) } };
    }
    write(JSON.stringify(record) + '\n');
  }
  return ok;
}

export interface ReferenceLine {
  readonly number: number;
  readonly text: string;
}

/** Every line readline gives for these chunks (numbered from 1, not trimmed). */
export async function readlineLines(chunks: Iterable<Buffer> | AsyncIterable<Buffer>): Promise<ReferenceLine[]> {
  const out: ReferenceLine[] = [];
  let n = 0;
  for await (const text of createInterface({ input: Readable.from(chunks), crlfDelay: Infinity })) out.push({ number: ++n, text });
  return out;
}

/**
 * The NDJSON the old `runBatch` loop wrote for a local conversion, with the one intended change:
 * an error record quotes the first 40 characters of its line (`inputPreview`).
 */
export async function readlineBatch(chunks: Iterable<Buffer> | AsyncIterable<Buffer>, options: Parameters<typeof toDynamic>[1]): Promise<string> {
  let out = '';
  let lineNo = 0;
  for await (const raw of createInterface({ input: Readable.from(chunks), crlfDelay: Infinity })) {
    lineNo++;
    const text = raw.trim();
    if (text === '') continue;
    let record: Record<string, unknown>;
    try {
      record = { line: lineNo, ok: true, input: text, qris: toDynamic(text, options), source: 'local' };
    } catch (e) {
      if (!isQrisError(e)) throw e;
      record = { line: lineNo, ok: false, input: inputPreview(text), error: e.toJSON() };
    }
    out += JSON.stringify(record) + '\n';
  }
  return out;
}
