/**
 * The CRC of an edited ASCII text, from one pass over the original's bytes.
 *
 * CRC is linear over GF(2): the CRC of the output differs from the input's by a term that only
 * depends on what changed, shifted over the unchanged bytes after it (`crcShift`, O(log n)). So the
 * one pass that verifies the input's CRC also records the input's states at the edits that change
 * the length (a mark each), and the output's CRC follows from those states without reading the
 * unchanged bytes again.
 *
 * A `CrcSplice` owns its mark and state slots. It has a fixed capacity and refuses a mark past it:
 * a dropped mark would give a wrong CRC, never an error, so overflowing is an assertion failure.
 */
import { crcShift, crcUpdate, crcUpdateAscii } from './crc16.js';

/** Replace input bytes [start, end) by `text` (ASCII: one byte per character). */
export interface Splice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The block boundary a state is recorded at for a mark: `mark` rounded down to 8 (see `run`). */
export function markBlock(mark: number): number {
  return mark & ~7;
}

export class CrcSplice {
  readonly capacity: number;
  private readonly marks: Int32Array;
  private readonly states: Int32Array;
  private count = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.marks = new Int32Array(capacity);
    this.states = new Int32Array(capacity);
  }

  /** Forgets the marks (and states) of the previous run. */
  reset(): void {
    this.count = 0;
  }

  /**
   * Asks the next `run` to record the state at input position `pos` (marks in ascending order).
   * Throws when all slots are taken: a silently dropped mark would give a wrong CRC.
   */
  mark(pos: number): void {
    if (this.count === this.capacity) {
      throw new Error(`CrcSplice: more than ${this.capacity} marks in one run (a dropped mark would give a wrong CRC).`);
    }
    this.marks[this.count++] = pos;
  }

  /**
   * `crcUpdate` from `crc` over bytes[0, end), recording for each mark the state at its 8-byte block
   * boundary. The pieces between boundaries are whole blocks, so this costs what one pass costs;
   * splitting at the exact positions would leave byte-at-a-time tails in every piece.
   */
  run(crc: number, bytes: Uint8Array, end: number): number {
    const { marks, states, count } = this;
    let i = 0;
    for (let k = 0; k < count; k++) {
      const block = markBlock(marks[k]!);
      crc = crcUpdate(crc, bytes, i, block);
      states[k] = crc;
      i = block;
    }
    return crcUpdate(crc, bytes, i, end);
  }

  /** The input's exact state at mark `k` (`pos` is that mark): replays the bytes since its block boundary. */
  stateAt(k: number, bytes: Uint8Array, pos: number): number {
    if (k >= this.count) throw new Error(`CrcSplice: no mark ${k} in this run (${this.count} recorded).`);
    return crcUpdate(this.states[k]!, bytes, markBlock(pos), pos);
  }

  /**
   * Pass 1: the input's CRC over bytes[0, end) from `init`, recording the states at the edits that
   * change the length. `edits` are sorted by start, within [0, end), and do not overlap.
   */
  inputCrc(init: number, bytes: Uint8Array, end: number, edits: readonly Splice[]): number {
    this.reset();
    for (const e of edits) if (e.end - e.start !== e.text.length) this.mark(e.start);
    return this.run(init, bytes, end);
  }

  /**
   * Pass 2, reading only the edited bytes: the CRC of bytes[0, end) with `edits` applied, from the
   * `fin` that `inputCrc` returned for the same edits.
   */
  outputCrc(bytes: Uint8Array, end: number, fin: number, edits: readonly Splice[]): number {
    // `d` is the XOR of the output's and the input's states at input position `pos`: an unchanged
    // span shifts it, an edit of the same length adds the CRC difference of its two texts, and an
    // edit that changes the length restarts it from the input's state at the edit.
    let d = 0;
    let pos = 0;
    let k = 0;
    for (const e of edits) {
      if (e.end - e.start === e.text.length) {
        d = crcShift(d, e.end - pos) ^ crcUpdate(0, bytes, e.start, e.end) ^ crcUpdateAscii(0, e.text);
      } else {
        const sIn = this.stateAt(k++, bytes, e.start);
        const sOut = crcUpdateAscii(sIn ^ crcShift(d, e.start - pos), e.text);
        d = sOut ^ crcUpdate(sIn, bytes, e.start, e.end);
      }
      pos = e.end;
    }
    return fin ^ crcShift(d, end - pos);
  }
}
