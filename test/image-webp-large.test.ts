/**
 * A legal WebP up to the size caps is read on every engine, or refused by a named limit, never
 * called corrupt (issue 17 item 3): 16000×3000 (48 MP, under the 50 MP default) lossy and lossless,
 * and one pixel row more than the cap allows.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, toPng, type DecodeEngine } from '../src/image/index.js';

const P = readFileSync(new URL('../fixtures/demo/static-qris.txt', import.meta.url), 'utf8').trim();

const made = new Map<string, Promise<Buffer>>();
/** Made once per variant (the encode costs more than a decode). */
function wide(width: number, height: number, lossless: boolean): Promise<Buffer> {
  const key = `${width}x${height}/${lossless}`;
  let p = made.get(key);
  if (!p) made.set(key, (p = make(width, height, lossless)));
  return p;
}

async function make(width: number, height: number, lossless: boolean): Promise<Buffer> {
  const qr = await sharp(toPng(P, { size: 1200 })).toBuffer();
  return sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite([{ input: qr, left: 2000, top: 900 }])
    .webp(lossless ? { lossless: true } : { quality: 80 })
    .toBuffer();
}

describe.each(['jimp', 'portable', 'accelerated'] as DecodeEngine[])('a 16000×3000 WebP (engine %s)', (engine) => {
  it.each([false, true])('lossless %s: read', async (lossless) => {
    const r = await decodeImage(await wide(16000, 3000, lossless), { engine });
    expect(r.payload).toBe(P);
    expect([r.width, r.height]).toEqual([16000, 3000]);
  });

  it('past maxPixels: IMAGE_TOO_LARGE naming the limit, not IMAGE_CORRUPT', async () => {
    const e = await decodeImage(await wide(16000, 3000, false), { engine, maxPixels: 47_999_999 }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'IMAGE_TOO_LARGE' });
    expect((e as Error).message).toContain('maxPixels');
  });
});
