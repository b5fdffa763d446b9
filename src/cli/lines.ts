/**
 * Batch input cut into lines straight from byte chunks, where readline would cut them (`\n`, `\r\n`,
 * a lone `\r`, also across chunk boundaries), with each line capped: a line longer than the cap is
 * reported with its first bytes only and the rest is skipped as it streams past, never held.
 */

/** A line as readline would give it (terminator removed, not trimmed). */
export interface TextLine {
  readonly kind: 'text';
  /** 1-based line number. */
  readonly number: number;
  readonly text: string;
}

/** A line longer than the cap: its first bytes (decoded) and its full length in bytes. */
export interface OverlongLine {
  readonly kind: 'overlong';
  readonly number: number;
  readonly head: string;
  readonly bytes: number;
}

export type BatchLine = TextLine | OverlongLine;

/** Longest batch line read by default, in bytes (a QRIS payload is at most 512 characters). */
export const DEFAULT_MAX_LINE_BYTES = 4096;

/** Bytes of an over-long line kept for its error record. */
const HEAD_BYTES = 256;

export interface LineSplitterOptions {
  /**
   * Longest line in bytes (terminator excluded); longer lines come out as `OverlongLine`.
   * @default 4096
   */
  readonly maxLineBytes?: number;
}

/** Cuts a byte stream into lines; all state (the unfinished line) lives in the instance. */
export class LineSplitter {
  private readonly max: number;
  /** Parts of the unfinished line, at most `max` bytes in all. */
  private parts: Buffer[] = [];
  private partBytes = 0;
  /** Bytes of the unfinished line seen so far, kept or skipped. */
  private lineBytes = 0;
  private number = 0;
  /** The last chunk ended with `\r`: a `\n` opening the next one belongs to it. */
  private afterCr = false;

  constructor(options: LineSplitterOptions = {}) {
    this.max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  /** The lines this chunk completes. */
  push(chunk: Buffer): BatchLine[] {
    const out: BatchLine[] = [];
    const n = chunk.length;
    if (n === 0) return out;
    let pos = 0;
    if (this.afterCr) {
      this.afterCr = false;
      if (chunk[0] === 10) pos = 1;
    }
    // Each terminator is searched for once per chunk, not once per line (linear in the chunk).
    let nl = chunk.indexOf(10, pos);
    let cr = chunk.indexOf(13, pos);
    for (;;) {
      if (nl !== -1 && nl < pos) nl = chunk.indexOf(10, pos);
      if (cr !== -1 && cr < pos) cr = chunk.indexOf(13, pos);
      let end: number;
      let next: number;
      if (cr !== -1 && (nl === -1 || cr < nl)) {
        end = cr;
        if (cr + 1 < n) next = chunk[cr + 1] === 10 ? cr + 2 : cr + 1;
        else {
          next = n;
          this.afterCr = true;
        }
      } else if (nl !== -1) {
        end = nl;
        next = nl + 1;
      } else break;
      out.push(this.finish(chunk, pos, end));
      pos = next;
    }
    if (pos < n) this.keep(chunk, pos, n);
    return out;
  }

  /** The last line when the input does not end with a terminator. */
  end(): BatchLine[] {
    if (this.lineBytes === 0) return [];
    return [this.finish(Buffer.alloc(0), 0, 0)];
  }

  private keep(chunk: Buffer, start: number, end: number): void {
    const room = this.max - this.partBytes;
    const take = Math.min(room, end - start);
    if (take > 0) {
      // A copy: a slice would pin the whole 64 KiB chunk while the line waits for its end.
      this.parts.push(Buffer.from(chunk.subarray(start, start + take)));
      this.partBytes += take;
    }
    this.lineBytes += end - start;
  }

  private finish(chunk: Buffer, start: number, end: number): BatchLine {
    const number = ++this.number;
    const bytes = this.lineBytes + (end - start);
    if (bytes <= this.max) {
      const text = this.parts.length === 0 ? chunk.toString('utf8', start, end) : Buffer.concat([...this.parts, chunk.subarray(start, end)]).toString('utf8');
      this.reset();
      return { kind: 'text', number, text };
    }
    const held =
      this.parts.length === 0
        ? chunk.subarray(start, Math.min(end, start + HEAD_BYTES))
        : Buffer.concat([...this.parts, chunk.subarray(start, Math.min(end, start + HEAD_BYTES))]);
    this.reset();
    return { kind: 'overlong', number, head: held.subarray(0, HEAD_BYTES).toString('utf8'), bytes };
  }

  private reset(): void {
    this.parts = [];
    this.partBytes = 0;
    this.lineBytes = 0;
  }
}
