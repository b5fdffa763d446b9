// Hostile and broken input: every failure is a QrisError with the right code, never a TypeError,
// and the size limits are enforced from the header, before anything is decompressed.
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QrisError, type QrisErrorCode } from '../src/errors.js';
import { decodeImage, toPng, type DecodeEngine } from '../src/image/index.js';

const DIR = new URL('../fixtures/images/', import.meta.url);
const file = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, DIR)));
const P =
  '00020101021126570011ID.DANA.WWW011893600915302259148102090225914810303UMI51440014ID.CO.QRIS.WWW0215ID10200176114730303UMI5204581253033605802ID5922Warung Sayur Bu Sugeng6010Kab. Demak610559567630458C7';
const ENGINES: DecodeEngine[] = ['jimp', 'portable', 'accelerated'];

async function codeOf(input: unknown, options: Parameters<typeof decodeImage>[1] = {}): Promise<QrisErrorCode | 'ok'> {
  try {
    await decodeImage(input as Uint8Array, options);
    return 'ok';
  } catch (e) {
    if (!(e instanceof QrisError)) throw new Error(`expected a QrisError, got ${String(e)}`, { cause: e });
    return e.code;
  }
}

function crc32(b: Uint8Array): number {
  let c = ~0;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  out.set(Buffer.from(type, 'latin1'), 4);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A valid-looking PNG header claiming width × height, with a tiny IDAT (a decompression bomb's shape). */
function pngClaiming(width: number, height: number, raw = new Uint8Array(64 * 1024)): Uint8Array {
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr[8] = 8; // 8-bit
  ihdr[9] = 0; // grayscale
  const idat = deflateSync(raw);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

describe.each(ENGINES)('hostile input (engine %s)', (engine) => {
  it('a PNG header claiming 100000×100000 pixels is refused as IMAGE_TOO_LARGE before decoding', async () => {
    const t = performance.now();
    expect(await codeOf(pngClaiming(100_000, 100_000), { engine })).toBe('IMAGE_TOO_LARGE');
    expect(performance.now() - t).toBeLessThan(1000);
    // Under a custom limit, a modest claim too; the default accepts a 12 MP header.
    expect(await codeOf(pngClaiming(2000, 2000), { engine, maxPixels: 1_000_000 })).toBe('IMAGE_TOO_LARGE');
  });

  it('maxBytes caps the input', async () => {
    expect(await codeOf(file('clean-medium.png'), { engine, maxBytes: 100 })).toBe('IMAGE_TOO_LARGE');
  });

  it('empty input, random bytes, unknown formats', async () => {
    expect(await codeOf(new Uint8Array(0), { engine })).toBe('IMAGE_CORRUPT');
    expect(await codeOf(new ArrayBuffer(0), { engine })).toBe('IMAGE_CORRUPT');
    expect(await codeOf('', { engine })).toBe('IMAGE_CORRUPT');
    expect(await codeOf('   ', { engine })).toBe('IMAGE_CORRUPT');
    expect(
      await codeOf(
        new Uint8Array(1000).map((_, i) => (i * 7919 + 13) & 0xff),
        { engine },
      ),
    ).toBe('IMAGE_UNSUPPORTED_FORMAT');
    expect(await codeOf(Buffer.from('GIF87a'), { engine })).toBe('IMAGE_CORRUPT');
    expect(await codeOf(Buffer.from('%PDF-1.7 ...'), { engine })).toBe('IMAGE_UNSUPPORTED_FORMAT');
    expect(await codeOf('not base64 at all!', { engine })).toBe('IMAGE_UNSUPPORTED_FORMAT');
    expect(await codeOf(null, { engine })).toBe('IMAGE_UNSUPPORTED_FORMAT');
    expect(await codeOf(42, { engine })).toBe('IMAGE_UNSUPPORTED_FORMAT');
  });

  it.each(['clean-medium.png', 'clean-medium.jpg', 'clean-medium.gif', 'clean-medium.webp'])(
    '%s truncated anywhere: IMAGE_CORRUPT or IMAGE_NO_QR, never a crash',
    async (name) => {
      const whole = file(name);
      // Inside the signature or header: corrupt (or, before the signature is complete, unsupported).
      for (const n of [1, 4, 8, 12, 20]) expect(['IMAGE_CORRUPT', 'IMAGE_UNSUPPORTED_FORMAT']).toContain(await codeOf(whole.subarray(0, n), { engine }));
      expect(await codeOf(whole.subarray(0, 20), { engine })).toBe('IMAGE_CORRUPT');
      // Inside the pixel data: corrupt, or (decoders that fill in what is missing) a partial image.
      for (const f of [0.1, 0.5, 0.9]) {
        expect(['IMAGE_CORRUPT', 'IMAGE_NO_QR', 'ok']).toContain(await codeOf(whole.subarray(0, Math.floor(whole.length * f)), { engine }));
      }
    },
  );

  it('an image without a code: IMAGE_NO_QR; a code that is not EMVCo: IMAGE_NOT_EMVCO', async () => {
    // 64×64 of zeros (filter byte + 64 pixels per row): a valid, black PNG.
    const blank = pngClaiming(64, 64, new Uint8Array(65 * 64));
    expect(await codeOf(blank, { engine })).toBe('IMAGE_NO_QR');
    const hello = toPng('https://example.com/hello');
    await expect(decodeImage(hello, { engine })).rejects.toMatchObject({ code: 'IMAGE_NOT_EMVCO', actual: 'https://example.com/hello' });
  });

  it('bit flips and byte damage in a valid PNG and JPEG never escape as anything but a QrisError', async () => {
    const sources = [toPng(P, { scale: 2 }), file('clean-small.jpg')];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 1),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        async (which, edits) => {
          const b = new Uint8Array(sources[which]!);
          for (const [at, v] of edits) b[at % b.length] = v;
          const code = await codeOf(b, { engine });
          expect(['ok', 'IMAGE_CORRUPT', 'IMAGE_NO_QR', 'IMAGE_NOT_EMVCO', 'IMAGE_TOO_LARGE', 'IMAGE_UNSUPPORTED_FORMAT']).toContain(code);
        },
      ),
      { numRuns: 40 },
    );
  }, 60_000);
});

describe('options', () => {
  it('bad options are BAD_OPTION', async () => {
    const png = toPng(P);
    expect(await codeOf(png, { engine: 'gpu' as DecodeEngine })).toBe('BAD_OPTION');
    expect(await codeOf(png, { maxBytes: 0 })).toBe('BAD_OPTION');
    expect(await codeOf(png, { maxPixels: -1 })).toBe('BAD_OPTION');
    expect(await codeOf(png, { maxPixels: 1.5 })).toBe('BAD_OPTION');
    expect(await codeOf(png, { strictCrc: 'yes' as unknown as boolean })).toBe('BAD_OPTION');
    expect(await codeOf(png, { fetch: { timeoutMs: 0 } })).toBe('BAD_OPTION');
    expect(await codeOf(png, { fetch: { maxRedirects: -1 } })).toBe('BAD_OPTION');
    expect(await codeOf(png, null as unknown as object)).toBe('BAD_OPTION');
  });
});
