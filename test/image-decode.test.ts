// decodeImage on photo-like cases the corpus does not isolate: EXIF orientations (size and position
// reported upright), BMP, and large pictures where the downscaled first look is not enough and
// full resolution must be used.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { orient } from '../src/image/gray.js';
import { decodeImage, type DecodeEngine } from '../src/image/index.js';
import { sniff } from '../src/image/sniff.js';
import { drawQr, encode, qrMatrix, solid } from '../fixtures/images/render.js';

const P =
  '00020101021126570011ID.DANA.WWW011893600915302259148102090225914810303UMI51440014ID.CO.QRIS.WWW0215ID10200176114730303UMI5204581253033605802ID5922Warung Sayur Bu Sugeng6010Kab. Demak610559567630458C7';
const ENGINES: DecodeEngine[] = ['jimp', 'portable', 'accelerated'];

/** A 900×600 upright picture with the code centred at (250, 300), 200 px wide. */
function scene() {
  const img = solid(900, 600, [240, 240, 235]);
  drawQr(img, qrMatrix(P), { cx: 250, cy: 300, side: 240, angle: 0 });
  return img;
}

/** 24-bit bottom-up BMP. */
function bmp(img: { data: Uint8Array; width: number; height: number }): Uint8Array {
  const stride = (img.width * 3 + 3) & ~3;
  const out = new Uint8Array(54 + stride * img.height);
  const dv = new DataView(out.buffer);
  out[0] = 0x42;
  out[1] = 0x4d;
  dv.setUint32(2, out.length, true);
  dv.setUint32(10, 54, true);
  dv.setUint32(14, 40, true);
  dv.setInt32(18, img.width, true);
  dv.setInt32(22, img.height, true);
  dv.setUint16(26, 1, true);
  dv.setUint16(28, 24, true);
  dv.setUint32(34, stride * img.height, true);
  for (let y = 0; y < img.height; y++) {
    const row = 54 + (img.height - 1 - y) * stride;
    for (let x = 0; x < img.width; x++) {
      const s = (y * img.width + x) * 3;
      out[row + x * 3] = img.data[s + 2]!;
      out[row + x * 3 + 1] = img.data[s + 1]!;
      out[row + x * 3 + 2] = img.data[s]!;
    }
  }
  return out;
}

describe.each(ENGINES)('decodeImage (engine %s)', (engine) => {
  it.each([1, 3, 6, 8] as const)('EXIF orientation %i: upright size, position in upright coordinates', async (orientation) => {
    const jpg = await encode(scene(), 'jpeg', { quality: 90, orientation });
    const meta = await sharp(jpg).metadata();
    expect(meta.orientation ?? 1).toBe(orientation);
    const r = await decodeImage(jpg, { engine });
    expect(r.payload).toBe(P);
    expect([r.width, r.height]).toEqual([900, 600]);
    const { box } = r.position;
    expect(Math.abs(box.x + box.width / 2 - 250)).toBeLessThan(20);
    expect(Math.abs(box.y + box.height / 2 - 300)).toBeLessThan(20);
  });

  it('BMP', async () => {
    const r = await decodeImage(bmp(scene()), { engine });
    expect(r.payload).toBe(P);
    expect(r.format).toBe('bmp');
    // No BMP loader in sharp's libvips: jimp supplies the pixels on both engines.
    expect(r.engine).toBe(engine === 'jimp' ? 'jimp+jsqr' : 'jimp+zxing');
    expect([r.width, r.height]).toEqual([900, 600]);
  });

  it('a large picture with a small code: the downscaled look fails, full resolution reads it', { timeout: 60_000 }, async () => {
    // 3600×2400 (8.6 MP), the code 250 px wide (≈ 4 px per module): ≈ 1 px per module at 1000 px.
    const img = solid(3600, 2400, [235, 235, 230]);
    drawQr(img, qrMatrix(P), { cx: 2500, cy: 1700, side: 250, angle: 5 });
    const png = await encode(img, 'png', { gray: true });
    // The whole ladder may run: a generous budget so a loaded machine does not fail the read.
    const r = await decodeImage(png, { engine, timeBudgetMs: 60_000 });
    expect(r.payload).toBe(P);
    expect([r.width, r.height]).toEqual([3600, 2400]);
    expect(Math.abs(r.position.box.x + r.position.box.width / 2 - 2500)).toBeLessThan(30);
  });
});

describe('EXIF orientation without sharp (the portable engine turns its gray views itself)', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8] as const)(
    'orientation %i: sniff reads the tag and orient() turns the pixels as sharp.rotate() does',
    async (orientation) => {
      const w = 37;
      const h = 23;
      const raw = Buffer.alloc(w * h * 3);
      for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919) % 251;
      const jpg = await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
        .jpeg({ quality: 100 })
        .withMetadata({ orientation })
        .toBuffer();
      const header = sniff(jpg);
      expect(header.orientation).toBe(orientation);
      const stored = await sharp(jpg).grayscale().raw().toBuffer({ resolveWithObject: true });
      const upright = await sharp(jpg).rotate().grayscale().raw().toBuffer({ resolveWithObject: true });
      const turned = orient({ data: new Uint8Array(stored.data), width: stored.info.width, height: stored.info.height }, header.orientation);
      expect([turned.width, turned.height]).toEqual([upright.info.width, upright.info.height]);
      expect(Buffer.compare(Buffer.from(turned.data), upright.data)).toBe(0);
    },
  );
});
