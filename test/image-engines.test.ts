// The two engines and the machine without accelerators.
//
// How "sharp and zxing-wasm are not installed" is tested: a child Node process is started with a
// module-resolution hook (module.register, passed as a data: URL to --import) that makes every
// import of `sharp`, `zxing-wasm` and `@jsquash/jpeg` (and their subpaths) fail with ERR_MODULE_NOT_FOUND,
// exactly what Node reports when a package is missing. The child imports the library source
// (through tsx) and decodes: it must fall back to jimp + jsQR without a word. A second child uses
// the documented switch QRIS_CODEC_NO_ACCELERATORS=1, which CI can also set for a whole test run.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../src/image/index.js';

const ROOT = new URL('../', import.meta.url);
/** A --import data: URL whose resolve hook fails every import of a package matching `names`. */
const hiding = (names: string): string =>
  'data:text/javascript,import{register}from"node:module";register("data:text/javascript,' +
  `export async function resolve(s,c,n){if(/^(${names})(\\\\/|$)/.test(s)){` +
  'const e=new Error(\\"Cannot find package \'\\"+s+\\"\' (hidden by the test)\\");e.code=\\"ERR_MODULE_NOT_FOUND\\";throw e}return n(s,c)}")';
const HIDE_ACCELERATORS = hiding('sharp|zxing-wasm|@jsquash\\\\/jpeg');
const HIDE_SHARP = hiding('sharp');

/** Runs in the child: tries the accelerators, then decodes each file, printing one JSON line. */
const CHILD = `
import { readFileSync } from 'node:fs';
const { decodeImage } = await import(new URL('src/image/index.ts', process.env.ROOT).href);
const out = { sharp: await import('sharp').then(() => 'loaded', (e) => e.code), zxing: await import('zxing-wasm/reader').then(() => 'loaded', (e) => e.code), files: {} };
for (const f of JSON.parse(process.env.FILES)) {
  try {
    const r = await decodeImage(readFileSync(new URL(f, process.env.ROOT)));
    out.files[f] = { payload: r.payload, engine: r.engine, width: r.width, height: r.height };
  } catch (e) {
    out.files[f] = { error: e.name + ' ' + e.code };
  }
}
for (const engine of ['accelerated', 'portable']) {
  try { await decodeImage(readFileSync(new URL(JSON.parse(process.env.FILES)[0], process.env.ROOT)), { engine }); out[engine] = 'ok'; }
  catch (e) { out[engine] = e.name + ' ' + e.code; }
}
console.log('RESULT ' + JSON.stringify(out));
`;

const FILES = [
  'fixtures/images/clean-medium.png',
  'fixtures/images/rotate-20.jpg',
  'fixtures/images/inverted.gif',
  'fixtures/images/busy-10pct.png',
  'fixtures/demo/static-qris-photo.jpg',
  'fixtures/images/clean-medium.webp',
];
const MANIFEST = JSON.parse(readFileSync(new URL('fixtures/images/manifest.json', ROOT), 'utf8')) as { file: string; payload: string }[];
const payloadOf = (f: string): string =>
  f.includes('/demo/')
    ? readFileSync(new URL('fixtures/demo/static-qris.txt', ROOT), 'utf8').trim()
    : MANIFEST.find((e) => `fixtures/images/${e.file}` === f)!.payload;

interface ChildResult {
  sharp: string;
  zxing: string;
  accelerated: string;
  portable: string;
  files: Record<string, { payload?: string; engine?: string; width?: number; height?: number; error?: string }>;
}

function runChild(nodeArgs: string[], env: Record<string, string>): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...nodeArgs, '--input-type=module', '-e', CHILD], {
    cwd: new URL('.', ROOT).pathname,
    env: { ...process.env, ...env, ROOT: ROOT.href, FILES: JSON.stringify(FILES) },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(line.slice('RESULT '.length)) as ChildResult;
}

function expectPureJs(r: ChildResult): void {
  for (const f of FILES) {
    const got = r.files[f]!;
    expect(got.error).toBeUndefined();
    expect(got.payload).toBe(payloadOf(f));
    // WebP without sharp: libwebp as WebAssembly, loaded from node_modules; PNG: our own reader.
    expect(got.engine).toBe(f.endsWith('.webp') ? 'libwebp+jsqr' : f.endsWith('.png') ? 'png+jsqr' : 'jimp+jsqr');
  }
  // EXIF orientation 6 applied: the stored 1200×1600 photo is 1600×1200 upright.
  expect(r.files['fixtures/demo/static-qris-photo.jpg']).toMatchObject({ width: 1600, height: 1200 });
  expect(r.accelerated).toBe('QrisError BAD_OPTION');
  expect(r.portable).toBe('QrisError BAD_OPTION');
}

describe('without the accelerators', () => {
  it('sharp and zxing-wasm not importable (resolution hook): auto falls back to jimp + jsQR', { timeout: 60_000 }, () => {
    const r = runChild(['--import', HIDE_ACCELERATORS], {});
    expect(r.sharp).toBe('ERR_MODULE_NOT_FOUND');
    expect(r.zxing).toBe('ERR_MODULE_NOT_FOUND');
    expectPureJs(r);
  });

  it('QRIS_CODEC_NO_ACCELERATORS=1 does the same with the packages installed', { timeout: 60_000 }, () => {
    const r = runChild([], { QRIS_CODEC_NO_ACCELERATORS: '1' });
    expect(r.sharp).toBe('loaded');
    expectPureJs(r);
  });
});

describe('without sharp, with the WebAssembly decoders', () => {
  it("auto reads JPEG with MozJPEG and detects with zxing-wasm (the portable engine's path)", { timeout: 60_000 }, () => {
    const r = runChild(['--import', HIDE_SHARP], {});
    expect(r.sharp).toBe('ERR_MODULE_NOT_FOUND');
    expect(r.zxing).toBe('loaded');
    for (const f of FILES) {
      const got = r.files[f]!;
      expect(got.payload).toBe(payloadOf(f));
      const source = f.endsWith('.webp') ? 'libwebp' : f.endsWith('.png') ? 'png' : f.endsWith('.jpg') ? 'mozjpeg' : 'jimp';
      expect(got.engine).toBe(`${source}+zxing`);
    }
    expect(r.files['fixtures/demo/static-qris-photo.jpg']).toMatchObject({ width: 1600, height: 1200 });
    expect(r.accelerated).toBe('ok');
    expect(r.portable).toBe('ok');
  });
});

describe('with the accelerators installed', () => {
  it("engine 'auto' (the default) uses sharp + zxing-wasm, offline", async () => {
    const f = 'fixtures/images/rotate-20.jpg';
    const r = await decodeImage(readFileSync(new URL(f, ROOT)));
    expect(r.engine).toBe('sharp+zxing');
    expect(r.payload).toBe(payloadOf(f));
  });

  it('both engines agree on payload, size and (within a few pixels) position', async () => {
    for (const f of FILES.slice(0, 5)) {
      const bytes = readFileSync(new URL(f, ROOT));
      const a = await decodeImage(bytes, { engine: 'jimp' });
      const b = await decodeImage(bytes, { engine: 'accelerated' });
      expect(a.payload).toBe(b.payload);
      expect([a.width, a.height, a.format]).toEqual([b.width, b.height, b.format]);
      // Corners differ by detector (finder centres vs outer corners): compare box centres.
      const ca = [a.position.box.x + a.position.box.width / 2, a.position.box.y + a.position.box.height / 2];
      const cb = [b.position.box.x + b.position.box.width / 2, b.position.box.y + b.position.box.height / 2];
      expect(Math.hypot(ca[0]! - cb[0]!, ca[1]! - cb[1]!)).toBeLessThan(Math.max(a.width, a.height) * 0.03);
    }
  }, 60_000);
});
