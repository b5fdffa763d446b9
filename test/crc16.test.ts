import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc16, crc16Hex, formatCrc, QrisError } from '../src/index.js';
import { crcShift } from '../src/codec/crc16.js';
import corpus from '../fixtures/dev-payloads.json' with { type: 'json' };
import { astralCharArb, bmpCharArb, crc16Ref, crcHexRef, loneSurrogateArb } from './arbitraries.js';

const RUNS = { numRuns: 400 };
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('crc16', () => {
  it('has the CRC-16/CCITT-FALSE check value: crc16("123456789") === 0x29B1', () => {
    expect(crc16('123456789')).toBe(0x29b1);
    expect(crc16(utf8('123456789'))).toBe(0x29b1);
    expect(crc16Hex('123456789')).toBe('29B1');
    // The reference implementation agrees (it is what the property tests trust).
    expect(crc16Ref(utf8('123456789'))).toBe(0x29b1);
  });

  it('of the empty input is the init value 0xFFFF', () => {
    expect(crc16('')).toBe(0xffff);
    expect(crc16(new Uint8Array(0))).toBe(0xffff);
  });

  it('property: crc16(bytes) equals the bitwise reference on arbitrary bytes (all lengths, slice-by-8 tails)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(crc16(bytes)).toBe(crc16Ref(bytes));
      }),
      RUNS,
    );
  });

  it('property: crc16 on a subarray view reads only the view', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 100 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const start = a % bytes.length;
        const end = start + (b % (bytes.length - start + 1));
        const view = bytes.subarray(start, end);
        expect(crc16(view)).toBe(crc16Ref(bytes.slice(start, end)));
      }),
      RUNS,
    );
  });

  it('property: crc16(string) equals the reference over TextEncoder UTF-8 bytes (ASCII, BMP, astral, lone surrogates)', () => {
    const unit = fc.oneof(
      fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)),
      bmpCharArb,
      astralCharArb,
      loneSurrogateArb,
    );
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit, maxLength: 120 }), fc.string({ unit: 'binary', maxLength: 120 }), fc.string()), (s) => {
        expect(crc16(s)).toBe(crc16Ref(utf8(s)));
        expect(crc16Hex(s)).toBe(crcHexRef(s));
      }),
      RUNS,
    );
  });

  it('property: a string and its UTF-8 bytes give the same CRC', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        expect(crc16(s)).toBe(crc16(utf8(s)));
      }),
      RUNS,
    );
  });

  it('property: long strings (bigger than any scratch buffer default) match the reference', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(astralCharArb, bmpCharArb), minLength: 800, maxLength: 1500 }), (s) => {
        expect(crc16(s)).toBe(crc16Ref(utf8(s)));
      }),
      { numRuns: 20 },
    );
  });

  it('counts UTF-8 bytes, not UTF-16 code units: "é" and "😀" differ from their code-unit CRCs', () => {
    for (const s of ['é', '最佳运输', '😀', 'a\uD800b']) {
      expect(crc16(s)).toBe(crc16Ref(utf8(s)));
      // A lone surrogate is encoded as U+FFFD (EF BF BD), exactly like TextEncoder does.
    }
    expect(crc16('a\uD800b')).toBe(crc16('a\uFFFDb'));
  });

  it('rejects input that is neither a string nor bytes with QrisError NOT_A_STRING', () => {
    for (const bad of [null, undefined, 42, {}, [1, 2, 3]]) {
      let caught: unknown;
      try {
        crc16(bad as string);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(QrisError);
      expect((caught as QrisError).code).toBe('NOT_A_STRING');
    }
  });
});

describe('crc16Hex / formatCrc', () => {
  it('zero-pads: the Malaysian DuitNow corpus entry whose CRC is 00D7', () => {
    const entry = corpus.find((e) => e.payload.endsWith('630400D7'));
    expect(entry).toBeDefined();
    const head = entry!.payload.slice(0, -4);
    expect(crc16(head)).toBe(0x00d7);
    expect(crc16(head)).toBeLessThan(0x1000);
    expect(crc16Hex(head)).toBe('00D7');
  });

  it('property: crc16Hex is always four uppercase hex digits equal to the padded reference', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const hex = crc16Hex(s);
        expect(hex).toMatch(/^[0-9A-F]{4}$/);
        expect(parseInt(hex, 16)).toBe(crc16Ref(utf8(s)));
      }),
      RUNS,
    );
  });

  it('formatCrc pads every 16-bit value to four uppercase digits', () => {
    expect(formatCrc(0)).toBe('0000');
    expect(formatCrc(0xd7)).toBe('00D7');
    expect(formatCrc(0xabc)).toBe('0ABC');
    expect(formatCrc(0xffff)).toBe('FFFF');
    for (let v = 0; v <= 0xffff; v += 97) expect(formatCrc(v)).toBe(v.toString(16).toUpperCase().padStart(4, '0'));
  });
});

/** Bitwise CRC-16/CCITT-FALSE continued from any state (the reference for the internal helpers). */
function refUpdate(state: number, bytes: Uint8Array): number {
  let crc = state;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

describe('crcShift (the converter relies on it; the splice itself is tested in crc-splice.test.ts)', () => {
  it('property: crcShift(state, n) equals running the state over n zero bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.oneof(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 65535 })), (state, n) => {
        expect(crcShift(state, n)).toBe(refUpdate(state, new Uint8Array(n)));
      }),
      { numRuns: 200 },
    );
  });
});
