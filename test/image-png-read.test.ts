// readPngGray (src/image/png-read.ts): the PNG reader of the pure-JS engine must give exactly the
// gray pixels jimp's RGBA would after rgbaToGray, for every colour type and depth, and leave to
// jimp (null) only a palette index out of range; damage is IMAGE_CORRUPT.
import { readFileSync } from 'node:fs';
import { Jimp } from 'jimp';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { rgbaToGray } from '../src/image/gray.js';
import { readPngGray } from '../src/image/png-read.js';
import { toPng } from '../src/image/index.js';
import { codeOf } from './expect-error.js';

const P = readFileSync(new URL('../fixtures/demo/static-qris.txt', import.meta.url), 'utf8').trim();

async function viaJimp(png: Uint8Array): Promise<Uint8Array> {
  const { data, width, height } = (await Jimp.fromBuffer(Buffer.from(png))).bitmap;
  return rgbaToGray(data, width, height, 1).data;
}

async function expectSameAsJimp(png: Uint8Array): Promise<void> {
  const g = readPngGray(png);
  expect(g).not.toBeNull();
  expect(Buffer.compare(Buffer.from(g!.data), Buffer.from(await viaJimp(png)))).toBe(0);
}

/** A 96×80 RGBA picture with gradients and every alpha value, so each channel matters. */
function picture(): { data: Buffer; width: number; height: number } {
  const width = 96;
  const height = 80;
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i += 4) {
      data[i] = (x * 8) & 255;
      data[i + 1] = (y * 3 + x) & 255;
      data[i + 2] = (x * y) & 255;
      data[i + 3] = (x * 37 + y * 11) & 255;
    }
  }
  return { data, width, height };
}

describe('readPngGray', () => {
  it('toPng output (1-bit gray, 1-bit palette with transparency) reads exactly as through jimp', async () => {
    await expectSameAsJimp(toPng(P));
    await expectSameAsJimp(toPng(P, { size: 333 }));
    await expectSameAsJimp(toPng(P, { color: { dark: '#123456', light: '#ffffff00' } }));
  });

  it('every colour type and bit depth (adaptive filters) reads exactly as through jimp', async () => {
    const { data, width, height } = picture();
    const base = sharp(data, { raw: { width, height, channels: 4 } });
    const variants = [
      base.clone().png({ adaptiveFiltering: true }), // RGBA 8
      base.clone().toColourspace('rgb16').png({ adaptiveFiltering: true }), // RGBA 16
      base.clone().removeAlpha().png({ adaptiveFiltering: true }), // RGB 8
      base.clone().removeAlpha().toColourspace('rgb16').png(), // RGB 16
      base.clone().removeAlpha().grayscale().png({ adaptiveFiltering: true }), // gray 8
      base.clone().removeAlpha().grayscale().toColourspace('grey16').png(), // gray 16
      base.clone().grayscale().png({ adaptiveFiltering: true }), // gray + alpha 8
      base.clone().grayscale().toColourspace('grey16').png(), // gray + alpha 16
      ...[256, 16, 4, 2].map((colours) => base.clone().png({ palette: true, colours })), // palette 8, 4, 2, 1 bit
    ];
    for (const v of variants) await expectSameAsJimp(new Uint8Array(await v.toBuffer()));
  });

  it('interlaced (Adam7) PNGs of every colour type read exactly as through jimp', async () => {
    const { data, width, height } = picture();
    const base = sharp(data, { raw: { width, height, channels: 4 } });
    const variants = [
      base.clone().png({ progressive: true }),
      base.clone().toColourspace('rgb16').png({ progressive: true }),
      base.clone().removeAlpha().grayscale().png({ progressive: true }),
      base.clone().png({ palette: true, colours: 16, progressive: true }),
    ];
    for (const v of variants) await expectSameAsJimp(new Uint8Array(await v.toBuffer()));
    // Odd sizes leave some Adam7 passes empty.
    for (const [w, h] of [
      [1, 1],
      [3, 2],
      [9, 5],
    ] as const) {
      const small = await sharp(data, { raw: { width, height, channels: 4 } })
        .extract({ left: 0, top: 0, width: w, height: h })
        .png({ progressive: true })
        .toBuffer();
      await expectSameAsJimp(new Uint8Array(small));
    }
  });

  it('damage is IMAGE_CORRUPT: a bad CRC on a critical chunk, truncated data, not a PNG', () => {
    const png = toPng(P);
    const flipped = png.slice();
    flipped[40]! ^= 1; // inside IDAT
    expect(codeOf(() => readPngGray(flipped))).toBe('IMAGE_CORRUPT');
    expect(codeOf(() => readPngGray(png.subarray(0, png.length - 20)))).toBe('IMAGE_CORRUPT');
    expect(codeOf(() => readPngGray(new Uint8Array(100)))).toBe('IMAGE_CORRUPT');
  });
});
