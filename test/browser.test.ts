/**
 * The package in a real browser: Debian's headless Chromium (/usr/bin/chromium, no browser
 * download), driven by playwright-core. The page is test/browser/page.ts bundled BY NAME with
 * esbuild for the browser (so the `browser` export condition picks the browser build of
 * qris-codec/image) and served, with the JPEG photo fixture, from 127.0.0.1 inside the test. Every
 * request to anywhere else is aborted. Each result must equal what Node computes for the same input.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import corpus from '../fixtures/dev-payloads.json' with { type: 'json' };
import { parse, toDynamic } from '../src/index.js';
import { decodeImage, toDataUrl, toPng, toSvg } from '../src/image/index.js';
import { bundle, bundleWith, ROOT } from './bundlers.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const BUILT = existsSync(join(ROOT, 'dist', 'esm', 'image', 'browser.js'));
const HAVE = existsSync(CHROMIUM) && BUILT;
const PAYLOAD = corpus.find((e) => e.payload.endsWith('630458C7'))!.payload;
const AMOUNT = 25_000;
const PHOTO = readFileSync(join(ROOT, 'fixtures', 'images', 'photo.jpg'));

async function code(f: () => unknown): Promise<string> {
  try {
    await f();
    return 'no error';
  } catch (e) {
    return `${(e as Error).name}:${(e as { code?: string }).code}`;
  }
}

describe.skipIf(!HAVE)(
  HAVE ? 'in headless Chromium' : `in headless Chromium: SKIPPED, no browser at ${CHROMIUM} (apt-get install -y chromium) or dist/ not built`,
  () => {
    let server: Server;
    let browser: Browser;
    let page: Page;
    let base: string;
    let result: Record<string, unknown>;
    const outside: string[] = [];

    beforeAll(async () => {
      const app = await bundle(readFileSync(join(ROOT, 'test', 'browser', 'page.ts'), 'utf8'), { minify: false });
      const worker = await bundle(readFileSync(join(ROOT, 'test', 'browser', 'worker.ts'), 'utf8'), { minify: false, conditions: ['worker'] });
      const html = '<!doctype html><meta charset="utf-8"><title>qris-codec</title><script type="module" src="/app.js"></script>';
      server = createServer((req, res) => {
        const routes: Record<string, [string, string | Buffer]> = {
          '/': ['text/html', html],
          '/app.js': ['text/javascript', app.code],
          '/photo.jpg': ['image/jpeg', PHOTO],
          '/worker.js': ['text/javascript', worker.code],
        };
        const hit = routes[req.url ?? ''];
        res.writeHead(hit ? 200 : 404, { 'content-type': hit ? hit[0] : 'text/plain' }).end(hit ? hit[1] : 'not found');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
      page = await browser.newPage();
      await page.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.hostname === '127.0.0.1') return route.continue();
        outside.push(url.href);
        return route.abort();
      });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(base + '/');
      await page.waitForFunction(() => typeof (globalThis as { qrisChecks?: unknown }).qrisChecks === 'function', undefined, { timeout: 20_000 });
      expect(errors).toEqual([]);
      result = await page.evaluate((input) => (globalThis as unknown as { qrisChecks(i: unknown): Promise<Record<string, unknown>> }).qrisChecks(input), {
        payload: PAYLOAD,
        amount: AMOUNT,
        photo: base + '/photo.jpg',
      });
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    });

    it('runs with no Buffer and no process global (a real browser, not a Node shim)', () => {
      expect(result['noBuffer']).toBe(true);
      expect(result['noProcess']).toBe(true);
    });

    it('core: toDynamic and parse give what Node gives', () => {
      const dyn = toDynamic(PAYLOAD, { amount: AMOUNT });
      expect(result['dynamic']).toBe(dyn);
      expect(result['ids']).toBe(
        parse(dyn)
          .nodes.map((n) => n.id)
          .join(','),
      );
    });

    it("toPng is byte-for-byte Node's PNG; toSvg and toDataUrl (png, svg) are Node's strings", () => {
      const dyn = toDynamic(PAYLOAD, { amount: AMOUNT });
      expect(result['pngHex']).toBe(Buffer.from(toPng(dyn, { scale: 4 })).toString('hex'));
      expect(result['svg']).toBe(toSvg(dyn));
      expect(result['dataUrl']).toBe(toDataUrl(dyn, { size: 200 }));
      expect(result['dataUrlSvg']).toBe(toDataUrl(dyn, { type: 'svg' }));
    });

    it('payload -> toDynamic -> toPng -> decodeImage gives the payload back from bytes, ArrayBuffer, Blob, File, data URL, ImageData, ImageBitmap, canvas and OffscreenCanvas', async () => {
      const dyn = toDynamic(PAYLOAD, { amount: AMOUNT });
      const node = await decodeImage(toPng(dyn, { scale: 4 }));
      const decoded = result['decoded'] as Record<string, { payload: string; format: string; width: number; height: number; crc: boolean; engine: string }>;
      expect(Object.keys(decoded).sort()).toEqual(
        ['arrayBuffer', 'blob', 'bytes', 'canvas', 'dataUrl', 'file', 'imageBitmap', 'imageData', 'offscreenCanvas'].sort(),
      );
      for (const [name, r] of Object.entries(decoded)) {
        expect(r.payload, name).toBe(node.payload);
        expect(r.crc, name).toBe(true);
        expect(r.engine, name).toBe('canvas+jsqr');
        const size = name === 'dataUrl' ? 200 - (200 % (node.width / 4)) : node.width; // the data URL was drawn at size 200
        expect([r.width, r.height], name).toEqual([size, size]);
        expect(r.format, name).toBe(['bytes', 'arrayBuffer', 'blob', 'file', 'dataUrl'].includes(name) ? 'png' : 'pixels');
      }
    });

    it('decodes the JPEG photo fixture as Node does (payload, format, upright size)', async () => {
      const node = await decodeImage(PHOTO);
      expect(result['photo']).toEqual({ payload: node.payload, format: node.format, width: node.width, height: node.height });
    });

    it('qris-codec/remote: convertWithFallback on PNG bytes converts locally, as in Node', async () => {
      const { convertWithFallback } = await import('../src/remote/index.js');
      const node = await convertWithFallback(toPng(PAYLOAD), { amount: AMOUNT });
      expect(result['fallback']).toEqual({ payload: node.payload, source: 'local' });
    });

    it('bad input gets the same QrisError codes as in Node', async () => {
      const png = toPng(toDynamic(PAYLOAD, { amount: AMOUNT }), { scale: 4 });
      const node = {
        garbage: await code(() => decodeImage(new Blob([new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])]))),
        empty: await code(() => decodeImage(new Uint8Array(0))),
        tooManyPixels: await code(() => decodeImage(png, { maxPixels: 100 })),
        tooManyBytes: await code(() => decodeImage(new Blob([png]), { maxBytes: 10 })),
        noQr: 'QrisError:IMAGE_NO_QR', // Node takes no ImageData; a blank one holds no code
        badOption: await code(() => decodeImage(png, { maxBytes: -1 })),
        badPayload: await code(() => toPng('')),
      };
      expect(result['errors']).toEqual(node);
      expect(Object.values(node).every((c) => c.startsWith('QrisError:'))).toBe(true);
    });

    it('browser-only inputs fail with a QrisError: short pixel data, an empty or huge canvas, a closed bitmap, a truncated JPEG, a non-image object, a spent time budget', async () => {
      expect(result['browserErrors']).toEqual({
        shortPixels: 'QrisError:IMAGE_CORRUPT',
        zeroCanvas: 'QrisError:IMAGE_CORRUPT',
        hugeCanvas: 'QrisError:IMAGE_TOO_LARGE',
        notAnImage: 'QrisError:IMAGE_UNSUPPORTED_FORMAT',
        truncatedJpeg: await code(() => decodeImage(PHOTO.subarray(0, 2000))),
        closedBitmap: 'QrisError:IMAGE_CORRUPT',
        timeBudget: 'QrisError:IMAGE_TIME_BUDGET',
        badBudget: 'QrisError:BAD_OPTION',
      });
    });

    it('in a module Web Worker (the worker condition; OffscreenCanvas, no document): toPng -> decodeImage round trip', async () => {
      const dyn = toDynamic(PAYLOAD, { amount: AMOUNT });
      const r = await page.evaluate(
        (payload) =>
          new Promise((resolve) => {
            const w = new Worker('/worker.js', { type: 'module' });
            w.onmessage = (e) => resolve(e.data);
            w.onerror = (e) => resolve({ error: e.message });
            w.postMessage({ payload });
          }),
        dyn,
      );
      expect(r).toEqual({ payload: dyn, engine: 'canvas+jsqr', noDocument: true });
    });

    it('made no request outside 127.0.0.1', () => {
      expect(outside).toEqual([]);
    });
  },
);

/**
 * The same package bundled by Vite and by webpack 5 with their default settings (test/bundlers.ts),
 * checked statically, then run in Chromium: render, read back from a Blob, compare with Node.
 */
describe.skipIf(!BUILT)(BUILT ? 'bundled by Vite and webpack 5 (default settings)' : 'Vite and webpack: SKIPPED, dist/ not built', () => {
  const bundles: Record<string, { code: string; warnings: string[] }> = {};
  beforeAll(async () => {
    for (const tool of ['vite', 'webpack'] as const) bundles[tool] = await bundleWith(tool, join(ROOT, 'test', 'browser', 'smoke.js'));
  }, 180_000);

  for (const tool of ['vite', 'webpack'] as const) {
    it(`${tool}: no warning, no node: import, no Buffer`, () => {
      const b = bundles[tool]!;
      expect(b.warnings).toEqual([]);
      expect(b.code).not.toMatch(/["']node:|(?<!globalThis\.)\bBuffer\b|createRequire/); // smoke.js itself checks globalThis.Buffer
      expect(b.code).toContain('qrisSmoke');
    });

    it.skipIf(!HAVE)(
      HAVE
        ? `${tool}: the bundle runs in Chromium and gives Node's PNG, SVG, data URL and payload back`
        : `${tool} in Chromium: SKIPPED, no browser at ${CHROMIUM}`,
      async () => {
        const { chromium } = await import('playwright-core');
        const server = createServer((req, res) => {
          if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script type="module" src="/app.js"></script>');
          else if (req.url === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundles[tool]!.code);
          else res.writeHead(404).end();
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
        try {
          const page = await browser.newPage();
          await page.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
          await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
          await page.waitForFunction(() => typeof (globalThis as { qrisSmoke?: unknown }).qrisSmoke === 'function', undefined, { timeout: 20_000 });
          const r = await page.evaluate(([p, a]) => (globalThis as unknown as { qrisSmoke(p: string, a: number): Promise<unknown> }).qrisSmoke(p, a), [
            PAYLOAD,
            AMOUNT,
          ] as const);
          const dyn = toDynamic(PAYLOAD, { amount: AMOUNT });
          expect(r).toEqual({
            dyn,
            pngHex: Buffer.from(toPng(dyn, { scale: 4 })).toString('hex'),
            svg: toSvg(dyn),
            dataUrl: toDataUrl(dyn),
            back: dyn,
            engine: 'canvas+jsqr',
            noBuffer: true,
          });
        } finally {
          await browser.close();
          await new Promise((resolve) => server.close(resolve));
        }
      },
      60_000,
    );
  }
});
