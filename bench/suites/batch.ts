/**
 * Batch input reading (issue 9 item 4): the chunked line reader of `qris convert --batch` against
 * readline's one `for await` per line, which it replaced. 4,000 lines of real payloads (CRLF, blank
 * lines, a few bad CRCs), in 64 KiB chunks, as a file stream delivers them.
 *
 * - `chunked lines` / `readline lines`: reading alone (lines cut and decoded, lengths summed).
 * - `chunked batch` / `readline batch`: the whole batch loop, conversion and NDJSON included: the
 *   CLI's `convertLines` against the old loop (test/cli-batch-reference.ts).
 */
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { toDynamic } from '../../src/index.js';
import { convertLines } from '../../src/cli/batch.js';
import type { Converter } from '../../src/cli/converter.js';
import { LineSplitter } from '../../src/cli/lines.js';
import type { Sink } from '../../src/cli/output.js';
import { readlineBatch, readlineConvertLines, readlineLines } from '../../test/cli-batch-reference.js';
import type { Suite } from '../harness.js';
import { STATIC_PAYLOADS } from '../payloads.js';

const LINES = 4000;
const CHUNK = 64 * 1024;
const OPTIONS = { amount: 25000 } as const;

const text = Array.from({ length: LINES }, (_, i) => {
  const p = STATIC_PAYLOADS[i % STATIC_PAYLOADS.length]!;
  return i % 97 === 5 ? '' : i % 41 === 7 ? p.slice(0, -4) + '0000' : p;
}).join('\r\n');
const bytes = Buffer.from(text + '\r\n');
const chunks: Buffer[] = [];
for (let i = 0; i < bytes.length; i += CHUNK) chunks.push(bytes.subarray(i, i + CHUNK));
const stream = () => Readable.from(chunks, { objectMode: false });

async function chunkedLines(): Promise<number> {
  const s = new LineSplitter();
  let n = 0;
  for await (const chunk of stream()) for (const line of s.push(chunk as Buffer)) n += line.kind === 'text' ? line.text.length : 1;
  for (const line of s.end()) n += line.kind === 'text' ? line.text.length : 1;
  return n;
}

async function readlineLineLengths(): Promise<number> {
  let n = 0;
  for await (const line of createInterface({ input: stream(), crlfDelay: Infinity })) n += line.length;
  return n;
}

const convert: Converter = (input) => ({ payload: toDynamic(input.kind === 'payload' ? input.payload : '', OPTIONS), source: 'local', verified: 'exact' });

async function chunkedBatch(): Promise<string> {
  let out = '';
  const sink: Sink = { write: async (t) => void (out += t), commit: async () => {}, abort: async () => {} };
  await convertLines({ source: stream(), sink, convert, maxLineBytes: 4096 });
  return out;
}

async function readlineBatchLoop(): Promise<string> {
  let out = '';
  await readlineConvertLines(
    stream(),
    (t) => void (out += t),
    async (p) => toDynamic(p, OPTIONS),
  );
  return out;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`batch suite setup: ${what}`);
}

const suite: Suite = {
  name: 'batch',
  async setup() {
    const lines = await readlineLines(chunks);
    check(lines.length === LINES, `readline gave ${lines.length} lines`);
    check((await chunkedLines()) === (await readlineLineLengths()), 'the two readers disagree on the lines');
    const want = await readlineBatch(chunks, OPTIONS);
    check((await chunkedBatch()) === want, 'the chunked batch output differs from the readline reference');
    check((await readlineBatchLoop()) === want, 'the old loop differs from the readline reference');
  },
  cases: {
    'chunked lines': chunkedLines,
    'readline lines': readlineLineLengths,
    'chunked batch': chunkedBatch,
    'readline batch': readlineBatchLoop,
  },
  bars: [
    { name: 'chunked vs readline reading', fast: 'chunked lines', slow: 'readline lines', min: 1.3 },
    // Conversion dominates a batch (the reading is ~10% of it): the bar says "no slower", within noise.
    { name: 'chunked vs readline batch (with conversion)', fast: 'chunked batch', slow: 'readline batch', min: 0.95 },
  ],
};

export default suite;
