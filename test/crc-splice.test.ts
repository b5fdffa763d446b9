import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CrcSplice, markBlock, type Splice } from '../src/codec/crc-splice.js';
import { CRC_INIT } from '../src/codec/crc16.js';
import { crc16Ref } from './arbitraries.js';

/** Bitwise CRC-16/CCITT-FALSE continued from any state: the plain CRC the splice must agree with. */
function plainCrc(state: number, bytes: Uint8Array): number {
  let crc = state;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** The edited bytes, written out the plain way. */
function applied(input: Uint8Array, edits: readonly Splice[]): Uint8Array {
  const parts: number[] = [];
  let pos = 0;
  for (const e of edits) {
    parts.push(...input.subarray(pos, e.start), ...ascii(e.text));
    pos = e.end;
  }
  parts.push(...input.subarray(pos));
  return Uint8Array.from(parts);
}

/** ASCII bytes with up to `max` sorted, non-overlapping edits (inserts, deletes, same-length and resizing replaces). */
const caseArb = (max: number) =>
  fc
    .tuple(
      fc.uint8Array({ maxLength: 400 }).map((b) => b.map((x) => x & 0x7f)),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.string({ unit: 'grapheme-ascii', maxLength: 14 })), { maxLength: max }),
    )
    .map(([bytes, raw]) => {
      const starts = raw.map(([s]) => s % (bytes.length + 1)).sort((a, b) => a - b);
      const edits: Splice[] = [];
      let floor = 0;
      raw.forEach(([, len, text], i) => {
        const start = Math.max(starts[i]!, floor);
        if (start > bytes.length) return;
        const end = Math.min(start + len, bytes.length);
        edits.push({ start, end, text });
        floor = end;
      });
      return { bytes, edits };
    });

describe('CrcSplice', () => {
  it('property: inputCrc is the plain CRC of the input, and outputCrc the plain CRC of the edited bytes', () => {
    const splice = new CrcSplice(16);
    fc.assert(
      fc.property(caseArb(16), fc.integer({ min: 0, max: 0xffff }), ({ bytes, edits }, init) => {
        const fin = splice.inputCrc(init, bytes, bytes.length, edits);
        expect(fin).toBe(plainCrc(init, bytes));
        expect(splice.outputCrc(bytes, bytes.length, fin, edits)).toBe(plainCrc(init, applied(bytes, edits)));
      }),
      { numRuns: 500 },
    );
  });

  it('property: run records, for each mark, a state that stateAt replays to the exact state at the mark', () => {
    const splice = new CrcSplice(8);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(), { maxLength: 8 }), fc.integer({ min: 0, max: 0xffff }), (bytes, raw, init) => {
        const marks = raw.map((m) => m % (bytes.length + 1)).sort((a, b) => a - b);
        splice.reset();
        for (const m of marks) splice.mark(m);
        expect(splice.run(init, bytes, bytes.length)).toBe(plainCrc(init, bytes));
        marks.forEach((m, k) => {
          expect(markBlock(m) % 8).toBe(0);
          expect(splice.stateAt(k, bytes, m)).toBe(plainCrc(init, bytes.subarray(0, m)));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('a real conversion-like edit: 01 "11" -> "12" and an inserted 54 give the CRC of the written text', () => {
    const body = '00020101021126570011ID.DANA.WWW011893600915000000000102090000000010303UMI5204541153033605802ID5906Warung6007Jakarta6304';
    const at53 = body.indexOf('5802ID');
    const edits: Splice[] = [
      { start: 10, end: 12, text: '12' },
      { start: at53, end: at53, text: '540525000' },
    ];
    const splice = new CrcSplice(4);
    const bytes = ascii(body);
    const fin = splice.inputCrc(CRC_INIT, bytes, bytes.length, edits);
    const written = body.slice(0, 10) + '12' + body.slice(12, at53) + '540525000' + body.slice(at53);
    expect(splice.outputCrc(bytes, bytes.length, fin, edits)).toBe(crc16Ref(ascii(written)));
  });

  it('property: more marks than slots throw (never a silently dropped mark and a wrong CRC)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 10 }), (capacity, extra) => {
        const splice = new CrcSplice(capacity);
        for (let k = 0; k < capacity; k++) splice.mark(k);
        expect(() => splice.mark(capacity)).toThrow(/more than \d+ marks/);
        // inputCrc marks every resizing edit: too many of them throw the same way.
        const edits: Splice[] = Array.from({ length: capacity + extra }, (_, i) => ({ start: i, end: i, text: 'x' }));
        expect(() => splice.inputCrc(CRC_INIT, new Uint8Array(capacity + extra), capacity + extra, edits)).toThrow(/more than \d+ marks/);
      }),
      { numRuns: 50 },
    );
  });

  it('reset forgets the previous run; stateAt past the marks of this run throws', () => {
    const splice = new CrcSplice(2);
    splice.mark(1);
    splice.mark(2);
    splice.reset();
    splice.mark(3); // would throw without the reset
    splice.run(CRC_INIT, new Uint8Array(8), 8);
    expect(() => splice.stateAt(1, new Uint8Array(8), 3)).toThrow(/no mark 1/);
  });
});
