/**
 * The state of one scan, owned by whoever passes it. `scanRoot(ctx, input)` fills it; every function
 * that reads a scan (template scans, node building, the converter's CRC splice) takes the context as
 * an argument, so the dependency is in the signature, not in a module variable.
 *
 * A context holds one scan at a time: the next `scanRoot` on it replaces everything below. Each
 * public entry point owns a context of its own (parse.ts one, convert.ts one) and never lends it
 * out, and reads the caller's options before it scans, so no caller code (a getter, a Proxy trap)
 * runs between a scan and its use and nothing can replace a scan under its reader. Reusing the
 * typed arrays is the speed: a scan allocates nothing but the substring it may trim.
 */
import { CrcSplice } from './crc-splice.js';
import { Utf8Buffer } from './utf8-buffer.js';

/** Object slots per nesting level: 128 minimal objects fill a 512-character payload. */
export const MAX_OBJECTS = 256;

/** Nesting levels a scan can hold: root, template, and 62's 50-99 templates (the deepest the spec defines). */
export const LEVELS = 3;

/** Root scan, one template level, one nested template level: the only depths parse reads. */
export type Level = 0 | 1 | 2;

/** A scan's state; its inherited `bytes` hold the payload's UTF-8 (for ASCII text, byte i is character i). */
export class ScanContext extends Utf8Buffer {
  /** UTF-8 length of `payload`: `bytes` is valid in [0, byteLength). */
  byteLength = 0;
  /** The payload scanned (the input without surrounding whitespace). */
  payload = '';
  /** Where `payload` starts in the input as given. */
  start = 0;
  /** One byte per character: lengths are byte counts and the fast scanner applies. */
  ascii = false;
  /** Root objects in `objects[0]`. */
  count = 0;
  /** Byte index where the CRC value starts: the CRC covers bytes [0, crcIndex). */
  crcIndex = 0;
  /** The declared CRC as a number. */
  declared = 0;
  /** Per level: [offset, id, valueStart, valueEnd] per object, payload positions. */
  readonly objects: readonly [Int32Array, Int32Array, Int32Array] = [
    new Int32Array(MAX_OBJECTS * 4),
    new Int32Array(MAX_OBJECTS * 4),
    new Int32Array(MAX_OBJECTS * 4),
  ];
  /** Root ID -> the scan number that last saw it (slot 100: the counter), and its index there. */
  readonly seen = new Int32Array(101);
  readonly index = new Int32Array(100);
  /** The CRC states the converter records on its pass over `bytes`. */
  readonly splice = new CrcSplice(16);

  /** Index of root object `id` in the current scan, or -1. */
  rootIndexOf(id: number): number {
    return this.seen[id] === this.seen[100] ? this.index[id]! : -1;
  }

  /** Starts a new numbering of `seen`: IDs stamped by earlier scans read as unseen, with nothing to clear. */
  nextStamp(): number {
    let n = this.seen[100]! + 1;
    if (n === 0x7fffffff) {
      this.seen.fill(0); // stale stamps could collide after wrapping
      n = 1;
    }
    this.seen[100] = n;
    return n;
  }
}
