/**
 * The PNG writer's own deflate (src/image/deflate.ts) and base64 (src/image/base64.ts), checked
 * against Node's zlib and Buffer as references.
 */
import fc from 'fast-check';
import { deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { base64Decode, base64Encode } from '../src/image/base64.js';
import { zlibDeflate } from '../src/image/deflate.js';
import { toPng } from '../src/image/index.js';

/** Bytes with repeats (what LZ77 feeds on): short alphabets and copied runs. */
const repetitive = fc
  .array(fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.record({ byte: fc.integer({ min: 0, max: 3 }), n: fc.integer({ min: 1, max: 700 }) })), {
    maxLength: 40,
  })
  .map((parts) => {
    const out: number[] = [];
    for (const p of parts) {
      if (p instanceof Uint8Array) out.push(...p);
      else for (let i = 0; i < p.n; i++) out.push(p.byte);
      if (out.length > 10 && out.length % 3 === 0) out.push(...out.slice(-Math.min(out.length, 300)));
    }
    return Uint8Array.from(out);
  });

describe('zlibDeflate', () => {
  it('property: zlib inflate gives back exactly the input (random and repetitive bytes)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 5000 }), repetitive), (b) => {
        expect(new Uint8Array(inflateSync(zlibDeflate(b)))).toEqual(b);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips inputs longer than the 32 KiB window, with matches at the window edge', () => {
    const row = Uint8Array.from({ length: 32768 + 7 }, (_, i) => (i * 7919) & 0xff);
    const b = new Uint8Array(row.length * 3);
    b.set(row, 0);
    b.set(row, row.length);
    b.set(row.subarray(5), row.length * 2);
    expect(new Uint8Array(inflateSync(zlibDeflate(b)))).toEqual(b);
    expect(new Uint8Array(inflateSync(zlibDeflate(new Uint8Array(200_000))))).toEqual(new Uint8Array(200_000));
  });

  it('a QR bitmap compresses to within 1.5x of zlib level 6 (rows repeat one module row up)', () => {
    const png = toPng(
      '00020101021126570011ID.DANA.WWW011893600915302259148102090225914810303UMI5204581253033605802ID5922Warung Sayur Bu Sugeng6010Kab. Demak610559567630458C7',
      { scale: 8 },
    );
    // The IDAT payload of our PNG (one IDAT chunk after IHDR at offset 33), inflated and re-deflated by zlib.
    const len = new DataView(png.buffer, png.byteOffset).getUint32(33);
    const idat = png.subarray(41, 41 + len);
    const raw = inflateSync(idat);
    const zlib = deflateSync(raw, { level: 6 }).length;
    console.log(`QR PNG IDAT: ours ${idat.length} bytes, zlib level 6 ${zlib} bytes (${(idat.length / zlib).toFixed(2)}x)`);
    expect(idat.length).toBeLessThanOrEqual(zlib * 1.5);
  });
});

describe('base64', () => {
  it('property: base64Encode equals Buffer.toString("base64")', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(base64Encode(b)).toBe(Buffer.from(b).toString('base64'));
      }),
    );
  });

  it('property: base64Decode equals Buffer.from(s, "base64") for padded, unpadded and base64url text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom('base64', 'base64url'), fc.boolean(), (b, enc, strip) => {
        let s = Buffer.from(b).toString(enc);
        if (strip) s = s.replace(/=+$/, '');
        expect(base64Decode(s)).toEqual(new Uint8Array(Buffer.from(s, 'base64')));
      }),
    );
  });
});
