// The gray helpers the portable engine added (src/image/gray.ts): the opaque RGBA fast path agrees
// with the general conversion, and orient() is the permutation EXIF describes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { opaqueRgbaToGray, orient, rgbaToGray, type Gray } from '../src/image/gray.js';

const opaque = fc
  .record({ w: fc.integer({ min: 1, max: 40 }), h: fc.integer({ min: 1, max: 40 }), f: fc.integer({ min: 1, max: 6 }), seed: fc.integer() })
  // Blocks lie inside the image (the callers clamp the factor to the short side).
  .filter(({ w, h, f }) => f <= w && f <= h)
  .map(({ w, h, f, seed }) => {
    const rgba = new Uint8Array(w * h * 4);
    let s = seed | 0;
    for (let i = 0; i < rgba.length; i++) {
      s = (Math.imul(s, 1103515245) + 12345) | 0;
      rgba[i] = i % 4 === 3 ? 255 : (s >>> 16) & 255;
    }
    return { rgba, w, h, f };
  });

const grayArb = fc
  .record({ w: fc.integer({ min: 1, max: 30 }), h: fc.integer({ min: 1, max: 30 }) })
  .chain(({ w, h }) => fc.uint8Array({ minLength: w * h, maxLength: w * h }).map((data): Gray => ({ data, width: w, height: h })));

describe('opaqueRgbaToGray', () => {
  it('property: on opaque pixels it is within one level of rgbaToGray, same size, at every factor', () => {
    fc.assert(
      fc.property(opaque, ({ rgba, w, h, f }) => {
        const a = opaqueRgbaToGray(rgba, w, h, f);
        const b = rgbaToGray(rgba, w, h, f);
        expect([a.width, a.height]).toEqual([b.width, b.height]);
        for (let i = 0; i < a.data.length; i++) expect(Math.abs(a.data[i]! - b.data[i]!)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('at factor 1 it equals rgbaToGray exactly', () => {
    fc.assert(
      fc.property(opaque, ({ rgba, w, h }) => {
        expect(Buffer.compare(Buffer.from(opaqueRgbaToGray(rgba, w, h, 1).data), Buffer.from(rgbaToGray(rgba, w, h, 1).data))).toBe(0);
      }),
    );
  });
});

describe('orient', () => {
  const same = (a: Gray, b: Gray): boolean => a.width === b.width && a.height === b.height && Buffer.compare(Buffer.from(a.data), Buffer.from(b.data)) === 0;

  it('property: 6 then 8 (and 8 then 6) is the identity; 2, 3, 4, 5, 7 are their own inverses; 1 changes nothing', () => {
    fc.assert(
      fc.property(grayArb, (g) => {
        expect(same(orient(orient(g, 6), 8), g)).toBe(true);
        expect(same(orient(orient(g, 8), 6), g)).toBe(true);
        for (const o of [2, 3, 4, 5, 7]) expect(same(orient(orient(g, o), o), g)).toBe(true);
        expect(orient(g, 1)).toBe(g);
      }),
    );
  });

  it('6 is a quarter turn clockwise: the stored top-left pixel ends top-right', () => {
    const g: Gray = { data: Uint8Array.from([1, 2, 3, 4, 5, 6]), width: 3, height: 2 };
    // stored 1 2 3 / 4 5 6, turned clockwise: 4 1 / 5 2 / 6 3
    expect(Array.from(orient(g, 6).data)).toEqual([4, 1, 5, 2, 6, 3]);
    expect(Array.from(orient(g, 8).data)).toEqual([3, 6, 2, 5, 1, 4]);
  });
});
