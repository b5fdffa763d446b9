/**
 * The blanking behind "every code in the picture": after a code is found, the view is checked for
 * anything left outside it (uniformOutside, allocation-free) before another look is spent. It must
 * say exactly what blanking the symbols and looking would say.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Hit } from '../src/image/detect.js';
import { uniformOutside } from '../src/image/strategy.js';

/** The obvious reference: every pixel centre mapped into each symbol's frame, the rest checked for spread. */
function reference(g: { data: Uint8Array; width: number; height: number }, hits: readonly Hit[]): boolean {
  let lo = 255;
  let hi = 0;
  for (let y = 0; y < g.height; y++) {
    for (let x = 0; x < g.width; x++) {
      const covered = hits.some((h) => {
        const { topLeft: o, topRight: r, bottomLeft: b } = h.corners;
        const [ux, uy, vx, vy] = [r.x - o.x, r.y - o.y, b.x - o.x, b.y - o.y];
        const det = ux * vy - uy * vx;
        if (Math.abs(det) < 1e-6) return false;
        const dx = x + 0.5 - o.x;
        const dy = y + 0.5 - o.y;
        const u = (dx * vy - dy * vx) / det;
        const v = (ux * dy - uy * dx) / det;
        const m = 1 / (h.modules ?? 21);
        return u >= -m && u <= 1 + m && v >= -m && v <= 1 + m;
      });
      if (covered) continue;
      const p = g.data[y * g.width + x]!;
      lo = Math.min(lo, p);
      hi = Math.max(hi, p);
    }
  }
  return hi - lo <= 12;
}

const point = (w: number, h: number) =>
  fc.record({ x: fc.double({ min: -20, max: w + 20, noNaN: true }), y: fc.double({ min: -20, max: h + 20, noNaN: true }) });

describe('uniformOutside', () => {
  it('says whether anything but the symbols found varies, exactly as a per-pixel check does', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 60 }),
        fc.integer({ min: 8, max: 60 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 30 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.array(fc.tuple(fc.integer({ min: 21, max: 57 }), point(60, 60), point(60, 60), point(60, 60)), { maxLength: 3 }),
        (w, h, base, noise, spots, symbols) => {
          const data = new Uint8Array(w * h);
          for (let i = 0; i < data.length; i++) data[i] = Math.min(255, base + ((i * 7919) % (noise + 1)));
          for (const [at, v] of spots) data[at % data.length] = v;
          const g = { data, width: w, height: h };
          const hits: Hit[] = symbols.map(([modules, tl, tr, bl]) => ({
            text: 'x',
            modules,
            corners: { topLeft: tl, topRight: tr, bottomLeft: bl, bottomRight: { x: tr.x + bl.x - tl.x, y: tr.y + bl.y - tl.y } },
          }));
          expect(uniformOutside(g, hits)).toBe(reference(g, hits));
        },
      ),
      { numRuns: 300 },
    );
  });
});
