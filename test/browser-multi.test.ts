/**
 * Issue 17 in a real browser (Debian's headless Chromium through playwright-core, served from
 * 127.0.0.1): the browser build of decodeImage, as the cashier page's set-up from a photo uses it,
 * refuses a picture with two different payment codes and reads the controls, like Node.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, ROOT } from './bundlers.js';
import { bomPicture, crlfPicture, EXTRA_LAYOUTS, LAYOUTS, MENU_URL, ORIGINAL, tamper, type Picture } from './multi-code-pictures.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const HAVE = existsSync(CHROMIUM) && existsSync(join(ROOT, 'dist', 'esm', 'image', 'browser.js'));
const TAMPERED = tamper(ORIGINAL);
/** As in Node's jimp engine (the same jsQR): a sticker over the code's corner hides its alignment pattern. */
const KNOWN_MISSES = ['overlapping', 'overlapping-askew'];

interface Verdict {
  payload?: string;
  codes?: { text: string; kind: string; copies: number }[];
  error?: string;
  candidates?: string[];
  engine?: string;
}

describe.skipIf(!HAVE)(
  HAVE ? 'browser decodeImage: every code in the picture' : `browser decodeImage: SKIPPED, no browser at ${CHROMIUM} or dist/ not built`,
  () => {
    let server: Server;
    let browser: Browser;
    let verdicts: Record<string, Verdict>;
    const layouts = [...LAYOUTS, ...EXTRA_LAYOUTS];

    beforeAll(async () => {
      const pictures: Picture[] = [];
      for (const l of layouts) pictures.push(await l.build(ORIGINAL, TAMPERED));
      pictures.push(await bomPicture(ORIGINAL), await crlfPicture(ORIGINAL));
      const app = await bundle(readFileSync(join(ROOT, 'test', 'browser', 'multi.ts'), 'utf8'), { minify: false });
      const html = '<!doctype html><meta charset="utf-8"><title>multi</title><script type="module" src="/app.js"></script>';
      server = createServer((req, res) => {
        const hit = req.url === '/' ? ['text/html', html] : req.url === '/app.js' ? ['text/javascript', app.code] : undefined;
        res.writeHead(hit ? 200 : 404, { 'content-type': hit ? hit[0]! : 'text/plain' }).end(hit ? hit[1] : 'not found');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
      const page = await browser.newPage();
      await page.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
      await page.goto(base + '/');
      await page.waitForFunction(() => typeof (globalThis as { qrisVerdicts?: unknown }).qrisVerdicts === 'function', undefined, { timeout: 20_000 });
      const input = pictures.map((p) => ({ name: p.name, b64: p.bytes.toString('base64'), type: p.format === 'png' ? 'image/png' : 'image/jpeg' }));
      verdicts = await page.evaluate((i) => (globalThis as unknown as { qrisVerdicts(x: unknown): Promise<Record<string, Verdict>> }).qrisVerdicts(i), input);
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    });

    it('two different payment codes: IMAGE_MULTIPLE_CODES with both candidates, in every layout but the known misses', () => {
      const refused: string[] = [];
      for (const l of layouts.filter((x) => x.twoCodes)) {
        const v = verdicts[l.name]!;
        if (KNOWN_MISSES.includes(l.name)) continue;
        expect(v.error, l.name).toBe('IMAGE_MULTIPLE_CODES');
        expect([...v.candidates!].sort(), l.name).toEqual([ORIGINAL, TAMPERED].sort());
        refused.push(l.name);
      }
      console.log(`browser build: ${refused.length} of ${layouts.filter((x) => x.twoCodes).length} two-code pictures refused`);
    });

    it('controls: the same code twice, a URL beside the code, and the code alone read normally', () => {
      expect(verdicts['same-twice']).toMatchObject({ payload: ORIGINAL, codes: [{ text: ORIGINAL, kind: 'qris', copies: 2 }] });
      expect(verdicts['url-beside']).toMatchObject({
        payload: ORIGINAL,
        codes: [
          { text: MENU_URL, kind: 'other' },
          { text: ORIGINAL, kind: 'qris' },
        ],
      });
      expect(verdicts['alone']).toMatchObject({ payload: ORIGINAL, engine: 'canvas+jsqr' });
    });

    it('a leading BOM and a trailing CR/LF are removed, as in Node', () => {
      expect(verdicts['bom']?.payload).toBe(ORIGINAL);
      expect(verdicts['crlf']?.payload).toBe(ORIGINAL);
    });
  },
);
