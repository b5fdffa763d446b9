/**
 * `qris convert --batch FILE`: one payload per line in, one NDJSON object per line out. A bad line
 * becomes an error record and the run goes on; the exit code says whether any line failed.
 *
 * Nothing given is lost: `-o` naming the input is refused, `-o FILE` is written through a temporary
 * file renamed at the end (opened before the first line is read), and a line over the cap gets an
 * error record quoting its first characters instead of being held whole in memory.
 */
import { createReadStream, fstatSync, open as openFd, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Socket } from 'node:net';
import { UsageError, type Io } from './args.js';
import type { Converted, Converter } from './converter.js';
import { errorJson } from './format.js';
import { QrisError } from '../errors.js';
import { hasExtension, IMAGE_EXTENSIONS, InputNotFoundError, resolveInput, type ResolvedInput } from './input.js';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter, type BatchLine } from './lines.js';
import { openFileSink, sameFile, statOrNothing, streamSink, type Sink } from './output.js';
import { Progress } from './progress.js';

export interface BatchRecord {
  readonly line: number;
  readonly ok: boolean;
  /** The line as read (trimmed); cut to `INPUT_PREVIEW_CHARS` in error records. */
  readonly input: string;
  readonly qris?: string;
  readonly source?: 'local' | 'remote';
  readonly error?: Record<string, unknown>;
}

export interface BatchOptions {
  /** `--batch` argument: a path (file, FIFO, /dev/fd/N) or `-` for stdin. */
  readonly file: string;
  /** `-o` argument; undefined or `-` for stdout. */
  readonly outFile?: string | undefined;
  readonly convert: Converter;
  /**
   * Longest line read, in bytes.
   * @default 4096
   */
  readonly maxLineBytes?: number;
}

/** Characters of a failed line quoted in its error record (a 50 MB line must not come back whole). */
export const INPUT_PREVIEW_CHARS = 40;

/** The first `INPUT_PREVIEW_CHARS` characters of `s`, never cutting a surrogate pair, `…` when cut. */
export function inputPreview(s: string): string {
  if (s.length <= INPUT_PREVIEW_CHARS) return s;
  let end = INPUT_PREVIEW_CHARS;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return s.slice(0, end) + '…';
}

export async function runBatch(options: BatchOptions, io: Io): Promise<number> {
  const { file, convert } = options;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const outFile = options.outFile === '-' ? undefined : options.outFile;
  const fromStdin = file === '-';
  let input: Stats | undefined;
  if (fromStdin) {
    const fd = (io.stdin as { fd?: unknown }).fd;
    if (typeof fd === 'number') input = fstatOrNothing(fd);
  } else {
    input = await stat(file).catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'ENOENT' ? new InputNotFoundError(file, 'batch file') : e;
    });
    if (input.isDirectory()) throw new UsageError(`--batch ${file} is a directory.`, 'convert');
  }
  const existing = outFile === undefined ? undefined : await statOrNothing(outFile);
  if (outFile !== undefined && existing !== undefined && input !== undefined && (await sameFile(input, existing, fromStdin ? undefined : file, outFile))) {
    throw new UsageError(
      `-o ${outFile} is the batch input${fromStdin ? ' (stdin)' : ''}: writing it would destroy the lines before they are read. Write to another file.`,
      'convert',
    );
  }
  // Opened before the first line is read: a bad -o fails at once, not after the work is done.
  const sink: Sink = outFile === undefined ? streamSink(io.stdout) : await openFileSink(outFile, existing);
  let counts: { ok: number; failed: number };
  let opened: (NodeJS.ReadableStream & { destroy(): void }) | undefined;
  try {
    const source: AsyncIterable<Buffer | string> = fromStdin ? io.stdin : (opened = await openSource(file, input!));
    const progress = io.stderr.isTTY ? new Progress(io.stderr, input?.isFile() ? input.size : undefined) : undefined;
    counts = await convertLines({ source, sink, convert, maxLineBytes, ...(progress ? { progress } : {}) });
    await sink.commit();
  } catch (e) {
    await sink.abort();
    throw e;
  } finally {
    opened?.destroy();
  }
  io.stderr.write(`${counts.ok} converted, ${counts.failed} failed${outFile !== undefined ? `; wrote ${outFile}` : ''}\n`);
  return counts.failed > 0 ? 1 : 0;
}

/**
 * A readable stream over the batch file. A FIFO (also `<(command)`, /dev/fd/N) is read as a pipe,
 * polled by the event loop: a blocking read on libuv's thread pool would keep the process from
 * exiting while the writer stays silent. Everything else is read as a file.
 */
async function openSource(file: string, st: Stats): Promise<NodeJS.ReadableStream & AsyncIterable<Buffer | string> & { destroy(): void }> {
  if (!st.isFIFO()) return createReadStream(file);
  // The open itself waits for a writer, as reading a FIFO should.
  const fd = await new Promise<number>((resolve, reject) => openFd(file, 'r', (err, fd) => (err ? reject(err) : resolve(fd))));
  return new Socket({ fd, readable: true, writable: false });
}

function fstatOrNothing(fd: number): Stats | undefined {
  try {
    return fstatSync(fd);
  } catch {
    return undefined;
  }
}

export interface ConvertLinesOptions {
  readonly source: AsyncIterable<Buffer | string>;
  readonly sink: Sink;
  readonly convert: Converter;
  readonly maxLineBytes: number;
  readonly progress?: Progress;
}

/** Reads chunk by chunk, converts the lines each chunk completes, writes their records in one go. */
export async function convertLines({ source, sink, convert, maxLineBytes, progress }: ConvertLinesOptions): Promise<{ ok: number; failed: number }> {
  const splitter = new LineSplitter({ maxLineBytes });
  const counts = { ok: 0, failed: 0 };
  let bytesRead = 0;
  const emit = async (lines: readonly BatchLine[]): Promise<void> => {
    let out = '';
    for (const line of lines) {
      const made = recordOf(line, convert, maxLineBytes);
      const record = made instanceof Promise ? await made : made;
      if (record === undefined) continue;
      if (record.ok) counts.ok++;
      else counts.failed++;
      out += JSON.stringify(record) + '\n';
    }
    if (out !== '') await sink.write(out);
  };
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    bytesRead += bytes.length;
    await emit(splitter.push(bytes));
    progress?.update(bytesRead, counts.ok, counts.failed);
  }
  await emit(splitter.end());
  progress?.done(bytesRead, counts.ok, counts.failed);
  return counts;
}

/** The record for one line; undefined for a blank line. Synchronous when the conversion is. */
function recordOf(line: BatchLine, convert: Converter, maxLineBytes: number): BatchRecord | undefined | Promise<BatchRecord> {
  if (line.kind === 'overlong') {
    return {
      line: line.number,
      ok: false,
      input: inputPreview(line.head.trimStart()),
      error: {
        code: 'LINE_TOO_LONG',
        message: `Line ${line.number} has ${line.bytes} bytes; a batch line may have at most ${maxLineBytes} (--max-line-bytes). Skipped.`,
        limit: maxLineBytes,
        bytes: line.bytes,
      },
    };
  }
  const text = line.text.trim();
  if (text === '') return undefined;
  try {
    // A line naming an image file is read as that image (each line its own file, capped like any input).
    if (isImageLine(text)) {
      return imageLineInput(text)
        .then(convert)
        .then(
          (done) => convertedRecord(line.number, text, done),
          (e: unknown) => failedRecord(line.number, text, e),
        );
    }
    const r = convert({ kind: 'payload', payload: text, source: `line ${line.number}` });
    if (r instanceof Promise)
      return r.then(
        (done) => convertedRecord(line.number, text, done),
        (e: unknown) => failedRecord(line.number, text, e),
      );
    return convertedRecord(line.number, text, r);
  } catch (e) {
    return failedRecord(line.number, text, e);
  }
}

/** A line that is a path with an image extension, and no payload (a payload starts with its 00 object). */
function isImageLine(text: string): boolean {
  return !text.startsWith('00') && hasExtension(text, IMAGE_EXTENSIONS);
}

/** The image a line names; an error (INPUT_NOT_FOUND, IMAGE_TOO_LARGE, ...) when it is not one. */
async function imageLineInput(path: string): Promise<ResolvedInput> {
  const input = await resolveInput(path, 'convert');
  if (input.kind !== 'image') throw new QrisError('IMAGE_UNSUPPORTED_FORMAT', `${path} is not a PNG, JPEG, GIF, WebP or BMP image.`);
  return input;
}

// Plain functions rather than closures per line: the loop runs once per line of a large file.
function convertedRecord(line: number, input: string, r: Converted): BatchRecord {
  return { line, ok: true, input, qris: r.payload, source: r.source };
}

function failedRecord(line: number, input: string, e: unknown): BatchRecord {
  return { line, ok: false, input: inputPreview(input), error: errorJson(e) };
}
