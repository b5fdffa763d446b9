/**
 * Shapes the size caps missed (issue 19 item 3), checked from the bytes before any decoder runs:
 * JPEG scans counted from the markers, strips refused by aspect, the largest GIF/WebP frame counted.
 * The same files run end to end on every engine in test/image-budget.test.ts (child processes,
 * peak RSS); here the parsers themselves, and the real files they must keep reading.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, toPng } from '../src/image/index.js';
import { checkShape, decodedBytes, jpegScans, MAX_ASPECT, MAX_JPEG_SCANS, sniff } from '../src/image/sniff.js';
import { gifFrameOverScreen, jpegRepeatedScans, pngStrip } from './image-bombs.js';

describe('jpegScans', () => {
  it('a baseline JPEG has one scan, a progressive one about ten, an embedded thumbnail is not counted', async () => {
    const img = sharp({ create: { width: 320, height: 240, channels: 3, background: '#406080' } });
    expect(jpegScans(await img.clone().jpeg().toBuffer(), 1000)).toBe(1);
    const progressive = jpegScans(await img.clone().jpeg({ progressive: true }).toBuffer(), 1000);
    expect(progressive).toBeGreaterThan(1);
    expect(progressive).toBeLessThan(MAX_JPEG_SCANS / 4);
    // A thumbnail-like JPEG inside an APP1 payload: its SOS must not count.
    const inner = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#fff' } })
      .jpeg()
      .toBuffer();
    const outer = await img.clone().jpeg().toBuffer();
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), Buffer.from([((inner.length + 2) >> 8) & 0xff, (inner.length + 2) & 0xff]), inner]);
    expect(jpegScans(Buffer.concat([outer.subarray(0, 2), app1, outer.subarray(2)]), 1000)).toBe(1);
  });

  it('repeated scans are counted, and counting stops past the limit (bounded work)', async () => {
    const bomb = await jpegRepeatedScans(500);
    expect(jpegScans(bomb, 10_000)).toBeGreaterThanOrEqual(500);
    expect(jpegScans(bomb, 50)).toBe(51);
    expect(() => checkShape(sniff(bomb), bomb)).toThrow(/more than 100 scans.*MAX_JPEG_SCANS/);
  });

  it('never throws on any truncation of a progressive JPEG', async () => {
    const b = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#123456' } })
      .jpeg({ progressive: true })
      .toBuffer();
    for (let n = 0; n <= b.length; n += 7) expect(jpegScans(b.subarray(0, n), MAX_JPEG_SCANS)).toBeGreaterThanOrEqual(0);
  });
});

describe('aspect and frames', () => {
  it(`a strip past ${MAX_ASPECT}:1 is refused by name; a 16000×3000 panorama is not`, async () => {
    const strip = await pngStrip(7_000_000, 7);
    expect(() => checkShape(sniff(strip), strip)).toThrow(/aspect ratio of 64:1/);
    const wide = await pngStrip(16_000, 3000);
    expect(() => checkShape(sniff(wide), wide)).not.toThrow();
  });

  it('a GIF frame larger than its screen counts at its own size', () => {
    const gif = gifFrameOverScreen(8000);
    const h = sniff(gif);
    expect([h.width, h.height]).toEqual([16, 16]);
    expect(h.framePixels).toBe(64_000_000);
    expect(decodedBytes(h)).toBe(256_000_000);
  });

  it('GIF frames within the screen, and real GIF/WebP files, keep their logical size', async () => {
    const qr = toPng('00020101021126570011ID.DANA.WWW0118936009153022591481020902259148103032', { size: 200 });
    for (const format of ['gif', 'webp'] as const) {
      const bytes = await sharp(qr)[format]().toBuffer();
      const h = sniff(bytes);
      expect(h.framePixels).toBe(h.width * h.height);
    }
  });

  it('an animated WebP frame (ANMF) larger than its canvas counts at its own size', () => {
    // RIFF WEBP with VP8X (canvas 16×16) and one ANMF declaring 9000×9000.
    const vp8x = Buffer.alloc(18);
    vp8x.write('VP8X', 0, 'latin1');
    vp8x.writeUInt32LE(10, 4);
    vp8x[8] = 0x02; // animation
    vp8x.writeUIntLE(15, 12, 3);
    vp8x.writeUIntLE(15, 15, 3);
    const anmf = Buffer.alloc(24);
    anmf.write('ANMF', 0, 'latin1');
    anmf.writeUInt32LE(16, 4);
    anmf.writeUIntLE(8999, 8 + 6, 3);
    anmf.writeUIntLE(8999, 8 + 9, 3);
    const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), vp8x, anmf]);
    const riff = Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.alloc(4), body]);
    riff.writeUInt32LE(body.length, 4);
    const h = sniff(riff);
    expect([h.width, h.height]).toEqual([16, 16]);
    expect(h.framePixels).toBe(81_000_000);
  });

  it('decodeImage refuses each bomb by name before decoding, on the default engine', async () => {
    for (const bytes of [await jpegRepeatedScans(2000), await pngStrip(), gifFrameOverScreen()]) {
      await expect(decodeImage(bytes)).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
    }
  });
});
