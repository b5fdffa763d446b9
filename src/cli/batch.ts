/**
 * `qris convert --batch FILE`: one payload per line in, one NDJSON object per line out. A bad line
 * becomes an error record and the run goes on; the exit code says whether any line failed.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { UsageError, type Io } from './args.js';
import { InputNotFoundError } from './input.js';
import type { Converter } from './commands/convert.js';
import { errorJson } from './format.js';
import { Progress } from './progress.js';

export interface BatchRecord {
  readonly line: number;
  readonly ok: boolean;
  readonly input: string;
  readonly qris?: string;
  readonly source?: 'local' | 'remote';
  readonly error?: Record<string, unknown>;
}

export async function runBatch(file: string, outFile: string | undefined, convert: Converter, io: Io): Promise<number> {
  const fromStdin = file === '-';
  let total: number | undefined;
  if (!fromStdin) {
    const st = await stat(file).catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'ENOENT' ? new InputNotFoundError(file, 'batch file') : e;
    });
    if (!st.isFile()) throw new UsageError(`--batch ${file} is not a file.`, 'convert');
    total = st.size;
  }
  const source: NodeJS.ReadableStream = fromStdin ? io.stdin : createReadStream(file);
  let bytesRead = 0;
  source.on('data', (chunk: Buffer | string) => {
    bytesRead += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
  });
  const out: NodeJS.WritableStream = outFile === undefined || outFile === '-' ? io.stdout : createWriteStream(outFile);
  const progress = io.stderr.isTTY ? new Progress(io.stderr, total) : undefined;

  let lineNo = 0;
  let ok = 0;
  let failed = 0;
  const lines = createInterface({ input: source, crlfDelay: Infinity });
  for await (const raw of lines) {
    lineNo++;
    const text = raw.trim();
    if (text === '') continue;
    let record: BatchRecord;
    try {
      const r = await convert({ kind: 'payload', payload: text, source: `line ${lineNo}` });
      record = { line: lineNo, ok: true, input: text, qris: r.payload, source: r.source };
      ok++;
    } catch (e) {
      record = { line: lineNo, ok: false, input: text, error: errorJson(e) };
      failed++;
    }
    if (!out.write(JSON.stringify(record) + '\n')) await once(out, 'drain');
    progress?.update(bytesRead, ok, failed);
  }
  progress?.done(bytesRead, ok, failed);
  if (out !== io.stdout) {
    out.end();
    await once(out, 'finish');
  }
  io.stderr.write(`${ok} converted, ${failed} failed${outFile && outFile !== '-' ? `; wrote ${outFile}` : ''}\n`);
  return failed > 0 ? 1 : 0;
}
