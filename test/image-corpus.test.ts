// decodeImage over the generated fixtures (fixtures/images, 16 scenes × PNG/JPEG/WebP/GIF), on the
// default engine (engine: 'jimp', forced), the accelerated one (sharp + zxing-wasm) and the portable
// one (WebAssembly decoders + zxing-wasm). Prints
// the success rate per engine; requires every clean image and >= 90% of the distorted ones on the
// default engine, and at least as many on the accelerated and portable ones.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { QrisError } from '../src/errors.js';
import { decodeImage, type DecodeEngine, type DecodedImage } from '../src/image/index.js';

interface Entry {
  readonly file: string;
  readonly variant: string;
  readonly format: string;
  readonly clean: boolean;
  readonly payload: string;
}

const DIR = new URL('../fixtures/images/', import.meta.url);
const MANIFEST = JSON.parse(readFileSync(new URL('manifest.json', DIR), 'utf8')) as Entry[];
const BYTES = new Map(MANIFEST.map((e) => [e.file, new Uint8Array(readFileSync(new URL(e.file, DIR)))]));

interface Outcome {
  readonly entry: Entry;
  readonly ok: boolean;
  readonly result?: DecodedImage;
  readonly why?: string;
}

async function runAll(engine: DecodeEngine): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const entry of MANIFEST) {
    try {
      // Read quality, not speed: a generous budget so a loaded CI machine does not fail a read.
      const result = await decodeImage(BYTES.get(entry.file)!, { engine, timeBudgetMs: 60_000 });
      out.push({ entry, ok: result.payload === entry.payload, result, why: result.payload === entry.payload ? '' : 'wrong payload' });
    } catch (e) {
      if (!(e instanceof QrisError)) throw e; // anything but a QrisError is a bug
      out.push({ entry, ok: false, why: e.code });
    }
  }
  return out;
}

function report(engine: string, outcomes: Outcome[]): { clean: number; cleanTotal: number; distorted: number; distortedTotal: number } {
  const clean = outcomes.filter((o) => o.entry.clean);
  const distorted = outcomes.filter((o) => !o.entry.clean);
  const r = {
    clean: clean.filter((o) => o.ok).length,
    cleanTotal: clean.length,
    distorted: distorted.filter((o) => o.ok).length,
    distortedTotal: distorted.length,
  };
  const byFormat = ['png', 'jpeg', 'webp', 'gif'].map((f) => {
    const of = outcomes.filter((o) => o.entry.format === f);
    return `${f} ${of.filter((o) => o.ok).length}/${of.length}`;
  });
  const failed = outcomes.filter((o) => !o.ok).map((o) => `${o.entry.file} (${o.why})`);
  console.log(
    `[image corpus] ${engine}: clean ${r.clean}/${r.cleanTotal}, distorted ${r.distorted}/${r.distortedTotal} ` +
      `(${((100 * r.distorted) / r.distortedTotal).toFixed(1)}%); ${byFormat.join(', ')}` +
      (failed.length ? `; failed: ${failed.join(', ')}` : ''),
  );
  return r;
}

describe('image corpus', () => {
  it('has at least 60 images, every format, clean and distorted', () => {
    expect(MANIFEST.length).toBeGreaterThanOrEqual(60);
    expect(new Set(MANIFEST.map((e) => e.format))).toEqual(new Set(['png', 'jpeg', 'webp', 'gif']));
    expect(MANIFEST.filter((e) => e.clean).length).toBeGreaterThan(0);
  });

  let defaultRate = -1;

  it("default engine (engine: 'jimp'): all clean, >= 90% distorted, positions inside the image", { timeout: 90_000 }, async () => {
    const outcomes = await runAll('jimp');
    const r = report('default (jimp + jsQR)', outcomes);
    expect(r.clean).toBe(r.cleanTotal);
    expect(r.distorted / r.distortedTotal).toBeGreaterThanOrEqual(0.9);
    defaultRate = r.clean + r.distorted;
    for (const o of outcomes) {
      if (!o.result) continue;
      // jimp has no WebP decoder: WebP pixels come from libwebp compiled to WebAssembly; PNGs are
      // read straight to gray by our own reader.
      expect(o.result.engine).toBe(o.entry.format === 'webp' ? 'libwebp+jsqr' : o.entry.format === 'png' ? 'png+jsqr' : 'jimp+jsqr');
      checkPosition(o);
    }
  });

  it('accelerated engine (sharp + zxing-wasm): at least as good as the default', { timeout: 60_000 }, async () => {
    const outcomes = await runAll('accelerated');
    const r = report('accelerated (sharp + zxing-wasm)', outcomes);
    expect(r.clean).toBe(r.cleanTotal);
    expect(r.distorted / r.distortedTotal).toBeGreaterThanOrEqual(0.9);
    if (defaultRate >= 0) expect(r.clean + r.distorted).toBeGreaterThanOrEqual(defaultRate);
    for (const o of outcomes) {
      if (!o.result) continue;
      expect(o.result.engine.startsWith('sharp+')).toBe(true);
      checkPosition(o);
    }
  });

  it('portable engine (WebAssembly MozJPEG + zxing-wasm, no native code): at least as good as the default', { timeout: 60_000 }, async () => {
    const outcomes = await runAll('portable');
    const r = report('portable (mozjpeg/libwebp/png + zxing-wasm)', outcomes);
    expect(r.clean).toBe(r.cleanTotal);
    expect(r.distorted / r.distortedTotal).toBeGreaterThanOrEqual(0.9);
    if (defaultRate >= 0) expect(r.clean + r.distorted).toBeGreaterThanOrEqual(defaultRate);
    const source = { jpeg: 'mozjpeg', png: 'png', webp: 'libwebp', gif: 'jimp' } as Record<string, string>;
    for (const o of outcomes) {
      if (!o.result) continue;
      expect(o.result.engine.split('+')[0]).toBe(source[o.entry.format]);
      checkPosition(o);
    }
  });
});

/** The box lies in the image and, for clean renderings (code centred), around the centre. */
function checkPosition(o: Outcome): void {
  const r = o.result!;
  const { box } = r.position;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(r.width);
  expect(box.y + box.height).toBeLessThanOrEqual(r.height);
  expect(box.width).toBeGreaterThan(r.width * 0.05);
  if (o.entry.clean) {
    expect(Math.abs(box.x + box.width / 2 - r.width / 2)).toBeLessThan(r.width * 0.05);
    expect(Math.abs(box.y + box.height / 2 - r.height / 2)).toBeLessThan(r.height * 0.05);
  }
}
