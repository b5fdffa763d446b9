/**
 * The cashier page end to end, in Debian's headless Chromium (playwright-core, no browser download)
 * against the BUILT `qris serve` (dist/, made by `npm test`'s build) on a free loopback port:
 * set-up from a fixture photo through the file input, sales whose QR (read back from the page's
 * canvas in Node with decodeImage) equals toDynamic in Node, refusals shown with the library's
 * reason, an invalid code's error, a reload that keeps the merchant, the CSV export, the print
 * view, accessibility basics at 360 px, and the page still working with the server stopped (and
 * reloading from the service worker). The shop's day, the misrouting paths and the README
 * screenshots are in test/pos-shop.test.ts and test/pos-misroute.test.ts.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { info, toDynamic } from '../src/index.js';
import { decodeImage, toPng } from '../src/image/index.js';
import { explain } from '../src/pos/i18n.js';
import { readCsvExcelId } from './pos-browser.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'dist', 'esm', 'cli', 'main.js');
const PAGE = join(ROOT, 'dist', 'pos', 'index.html');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const PHOTO = join(ROOT, 'fixtures', 'demo', 'static-qris-photo.jpg');
const STATIC = readFileSync(join(ROOT, 'fixtures', 'demo', 'static-qris.txt'), 'utf8').trim();
const NAME = info(STATIC).merchantName!;
// Fixed browser clock: the times on screen (and so the screenshots) are the same on every run.
const CLOCK = new Date('2026-12-02T10:15:00+07:00');

if (!existsSync(BIN) || !existsSync(PAGE)) throw new Error('dist/ or dist/pos is missing: run `npm run build` first (`npm test` does).');
if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH).`);

interface Served {
  readonly url: string;
  readonly child: ChildProcessWithoutNullStreams;
}

/** The page needs no key; an empty QRIS_SERVE_API_KEY is a usage error, so the variable is removed. */
function withoutApiKey(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.QRIS_SERVE_API_KEY;
  return env;
}

function serve(): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--workers', '1'], { env: withoutApiKey() });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += String(d);
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) resolve({ url: m[0], child });
    });
    child.once('exit', (code) => reject(new Error(`qris serve exited with ${code}`)));
  });
}

function stop(s: Served): Promise<void> {
  if (s.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    s.child.once('exit', () => resolve());
    s.child.kill('SIGTERM');
  });
}

let server: Served;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** The payload in the QR the page shows, read from its canvas in Node. */
async function shownPayload(on: Page = page): Promise<string> {
  const dataUrl = await on.locator('#qr').evaluate((c: HTMLCanvasElement) => c.toDataURL('image/png'));
  const found = await decodeImage(Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
  return found.payload;
}

async function sell(amount: string): Promise<void> {
  await page.locator('#amount').fill('');
  await page.locator('#amount').pressSequentially(amount);
  await page.locator('#amount').press('Enter');
}

beforeAll(async () => {
  server = await serve();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport: { width: 360, height: 760 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta', acceptDownloads: true });
  page = await context.newPage();
  await page.clock.setFixedTime(CLOCK);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => void d.accept());
});

afterAll(async () => {
  await browser?.close();
  if (server) await stop(server);
});

describe('qris serve at /', () => {
  it('serves the page and its service worker with safe headers; other methods are refused', async () => {
    const res = await fetch(server.url + '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const html = await res.text();
    expect(html).toBe(readFileSync(PAGE, 'utf8'));
    expect(html).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    const sw = await fetch(server.url + '/sw.js');
    expect(sw.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await sw.text()).toMatch(/qris-pos-/);
    const post = await fetch(server.url + '/', { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(((await post.json()) as { code: string }).code).toBe('METHOD_NOT_ALLOWED');
    expect((await fetch(server.url + '/index.htm')).status).toBe(404);
  });
});

describe('the cashier page in headless Chromium', () => {
  it('opens on set-up (Indonesian by default), every control labelled, no sideways scroll at 360 px', async () => {
    await page.goto(server.url + '/');
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('html').getAttribute('lang')).toBe('id');
    await expect.poll(() => page.locator('#setup').isVisible()).toBe(true);
    expect(await page.locator('#setup-h').textContent()).toBe('Pasang QRIS toko');
    expect(await unlabelled()).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });

  it('an invalid pasted code shows its error in plain words (the code kept for support), and is not saved', async () => {
    await page.locator('#paste').fill(STATIC.slice(0, -4) + '0000');
    await page.getByRole('button', { name: 'Periksa kode ini' }).click();
    const error = page.locator('#setup-error');
    await expect.poll(() => error.isVisible()).toBe(true);
    const text = (await error.textContent()) ?? '';
    expect(text).toBe(explain('id', 'CRC_MISMATCH'));
    expect(await error.locator('p').first().getAttribute('data-code')).toBe('CRC_MISMATCH');
    expect(await page.evaluate(() => localStorage.getItem('qris-pos.merchant'))).toBeNull();
    // A one-payment (dynamic) code is not the shop's code either.
    await page.locator('#paste').fill(toDynamic(STATIC, { amount: 1000 }));
    await page.locator('#paste').press('Tab');
    await page.getByRole('button', { name: 'Periksa kode ini' }).click();
    await expect.poll(() => error.textContent()).toContain(explain('id', 'NOT_STATIC'));
    // A picture without a QR code.
    const blank = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    await page.locator('#photo').setInputFiles({ name: 'blank.png', mimeType: 'image/png', buffer: blank });
    await expect.poll(() => error.locator('p').first().getAttribute('data-code')).toBe('IMAGE_NO_QR');
    expect(await error.textContent()).toBe(explain('id', 'IMAGE_NO_QR'));
    // A PNG header claiming 100000x100000 pixels is refused from the header, not inflated.
    const bomb = Buffer.from(blank);
    bomb.writeUInt32BE(100_000, 16);
    bomb.writeUInt32BE(100_000, 20);
    await page.locator('#photo').setInputFiles({ name: 'bomb.png', mimeType: 'image/png', buffer: bomb });
    await expect.poll(() => error.locator('p').first().getAttribute('data-code')).toBe('IMAGE_TOO_LARGE');
    expect(await error.textContent()).toBe(explain('id', 'IMAGE_TOO_LARGE'));
    await page.locator('#photo').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await expect.poll(() => error.locator('p').first().getAttribute('data-code')).toBe('IMAGE_UNSUPPORTED_FORMAT');
    expect(await error.textContent()).toBe(explain('id', 'IMAGE_UNSUPPORTED_FORMAT'));
    expect(await page.locator('#sale').isVisible()).toBe(false);
  });

  it('sets the static code from a fixture photo through the file input, confirmed with name, city, NMID, acquirer and masked account', async () => {
    await page.locator('#photo').setInputFiles(PHOTO);
    await expect.poll(() => page.locator('#confirm').isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await page.locator('#confirm-account').textContent()).toBe('9360 0915 •••• 1481');
    // Nothing is kept before the cashier says it is theirs.
    expect(await page.evaluate(() => localStorage.getItem('qris-pos.merchant'))).toBeNull();
    await page.locator('#confirm-yes').click();
    await expect.poll(() => page.locator('#sale').isVisible()).toBe(true);
    const meta = info(STATIC);
    expect(await page.locator('#shopline-account').textContent()).toBe('9360 0915 •••• 1481');
    expect(await page.locator('#shop-name').textContent()).toBe(meta.merchantName);
    expect(await page.locator('#shop-city').textContent()).toBe(meta.merchantCity);
    expect(await page.locator('#shop-nmid').textContent()).toBe(meta.nmid);
    expect(await page.locator('#shop-acquirer').textContent()).toBe('DANA');
    const saved = JSON.parse((await page.evaluate(() => localStorage.getItem('qris-pos.merchant'))) ?? 'null') as { payload: string };
    expect(saved.payload).toBe(STATIC);
    // Focus moved to the amount, ready to type.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('amount');
  });

  it('an amount typed and confirmed with Enter shows a QR that decodes to toDynamic in Node', async () => {
    await page.locator('#amount').pressSequentially('25000');
    expect(await page.locator('#amount').inputValue()).toBe('25.000');
    await page.locator('#amount').press('Enter');
    await expect.poll(() => page.locator('#result').isVisible()).toBe(true);
    expect(await page.locator('#receipt-amount').textContent()).toBe('Rp 25.000');
    expect(await page.locator('#receipt-merchant').textContent()).toBe(NAME);
    expect(await shownPayload()).toBe(toDynamic(STATIC, { amount: '25000' }));
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('result-h');
  });

  it('the PNG download is the QR of the same payload', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download').click()]);
    expect(download.suggestedFilename()).toMatch(/^qris-25000-2026-12-02-101500\.png$/);
    const png = readFileSync(await download.path());
    expect((await decodeImage(png)).payload).toBe(toDynamic(STATIC, { amount: '25000' }));
  });

  it('a bill number and a fixed fee (keypad-typed amount) go into the code exactly as toDynamic puts them', async () => {
    await page.locator('#new-sale').click();
    for (const key of ['1', '5', '000']) await page.locator(`[data-key="${key}"]`).click();
    expect(await page.locator('#amount').inputValue()).toBe('15.000');
    await page.locator('#more summary').click();
    await page.locator('#bill').fill('INV-7');
    await page.locator('#fee-kind').selectOption('fixed');
    await page.locator('#fee-value').fill('1.000');
    await page.locator('#fee-value').press('Enter');
    await expect.poll(() => page.locator('#result').isVisible()).toBe(true);
    expect(await shownPayload()).toBe(toDynamic(STATIC, { amount: '15000', billNumber: 'INV-7', fee: { type: 'fixed', value: '1000' } }));
    expect(await page.locator('#receipt-amount').textContent()).toBe('Rp 16.000');
    expect(await page.locator('#receipt-breakdown').textContent()).toBe('Harga Rp 15.000 + biaya Rp 1.000');
    expect(await page.locator('#receipt-details').textContent()).toContain('TagihanINV-7');
  });

  it('refused amounts are explained each in their own Indonesian sentence, left as typed, never fixed', async () => {
    await page.locator('#new-sale').click();
    await page.locator('#fee-kind').selectOption('none');
    await page.locator('#bill').fill('');
    for (const [typed, code] of [
      ['0', 'AMOUNT_ZERO'],
      ['0500', 'AMOUNT_LEADING_ZERO'],
      ['25,000', 'AMOUNT_COMMA_THOUSANDS'],
      ['25.5', 'AMOUNT_GROUPING'],
      ['12,505', 'AMOUNT_COMMA_THOUSANDS'],
      ['2.000.000.000', 'OVER_MAX'],
    ] as const) {
      await page.locator('#amount').fill('');
      await page.locator('#amount').pressSequentially(typed);
      await page.locator('#amount').press('Enter');
      const error = page.locator('#sale-error');
      await expect.poll(() => error.isVisible()).toBe(true);
      expect(await error.textContent()).toBe(explain('id', code, { max: 'Rp 10.000.000' }));
      expect(await error.locator('p').getAttribute('data-code')).toBe(code);
      expect(await page.locator('#amount').inputValue()).toBe(typed);
      expect(await page.locator('#amount').getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#result').isVisible()).toBe(false);
    }
  });

  it("today's list has time, what the payer pays, status and bill; the CSV export has the payloads", async () => {
    await page.locator('#amount').fill('');
    const rows = page.locator('#sales tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).locator('td').nth(0).textContent()).toBe('10.15');
    expect(await rows.nth(0).locator('td').nth(1).textContent()).toBe('Rp 16.000');
    expect(await rows.nth(0).locator('td').nth(2).textContent()).toBe('MenungguTagihan: INV-7');
    expect(await page.locator('#total-paid').textContent()).toBe('Uang diterima (lunas): Rp 0 dari 0 penjualan');
    expect(await rows.nth(1).locator('.copy').getAttribute('data-payload')).toBe(toDynamic(STATIC, { amount: '25000' }));
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export').click()]);
    expect(download.suggestedFilename()).toBe('qris-penjualan-2026-12-02.csv');
    const rowsCsv = readCsvExcelId(readFileSync(await download.path(), 'utf8'));
    expect(rowsCsv[0]).toEqual(['tanggal', 'jam', 'status', 'jumlah', 'biaya', 'total_dibayar', 'no_tagihan', 'toko', 'nmid', 'rekening', 'kode_qris']);
    expect(rowsCsv.slice(1).map((r) => [r[1], r[2], r[3], r[4], r[5], r[6], r[10]])).toEqual([
      ['10:15:00', 'Menunggu', '25000', '0', '25000', '', toDynamic(STATIC, { amount: '25000' })],
      [
        '10:15:00',
        'Menunggu',
        '15000',
        '1000',
        '16000',
        'INV-7',
        toDynamic(STATIC, { amount: '15000', billNumber: 'INV-7', fee: { type: 'fixed', value: '1000' } }),
      ],
    ]);
  });

  it('keyboard: focus order amount -> Make QR, and focus is visible', async () => {
    await page.locator('#more').evaluate((d: HTMLDetailsElement) => (d.open = false));
    await page.locator('#amount').focus();
    await page.keyboard.press('Tab'); // the keypad is skipped: keyboard users type
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const s = getComputedStyle(el);
      return { text: el.textContent, outline: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    expect(focused).toEqual({ text: 'Buat QR', outline: 'solid', width: 3 });
    expect(await lowContrast()).toEqual([]);
  });

  it('English UI text, remembered', async () => {
    await page.locator('#lang-en').click();
    expect(await page.locator('#sale-h').textContent()).toBe('New sale');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await unlabelled()).toEqual([]);
    await page.locator('#lang-id').click();
    expect(await page.locator('#sale-h').textContent()).toBe('Penjualan baru');
  });

  it('a reload keeps the merchant and the list', async () => {
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#sale').isVisible()).toBe(true);
    expect(await page.locator('#shop-name').textContent()).toBe(NAME);
    expect(await page.locator('#sales tbody tr').count()).toBe(2);
  });

  it('property (6 seeded cases): random amounts and bill numbers drawn by the page decode to toDynamic in Node', async () => {
    const cases = fc.sample(fc.record({ amount: fc.bigInt({ min: 1n, max: 10_000_000n }), bill: fc.stringMatching(/^[A-Za-z0-9-]{0,25}$/) }), {
      numRuns: 6,
      seed: 14,
    });
    for (const { amount, bill } of cases) {
      if (await page.locator('#result').isVisible()) await page.locator('#new-sale').click();
      await page.locator('#more').evaluate((d: HTMLDetailsElement) => (d.open = true));
      await page.locator('#bill').fill(bill);
      await page.locator('#fee-kind').selectOption('none');
      await sell(String(amount));
      await expect.poll(() => page.locator('#result').isVisible()).toBe(true);
      expect(await shownPayload()).toBe(toDynamic(STATIC, { amount: String(amount), ...(bill !== '' ? { billNumber: bill } : {}) }));
    }
    await page.locator('#new-sale').click();
    await page.locator('#bill').fill('');
    expect(await page.locator('#sales tbody tr').count()).toBe(2 + cases.length);
  });

  it('the print view shows only the slip, 48 mm wide on 58 mm paper and 72 mm on 80 mm, with the date', async () => {
    await sell('25000');
    await expect.poll(() => page.locator('#result').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'print' });
    const mm = (px: number) => Math.round((px * 25.4) / 96);
    expect(await page.locator('.bar').isVisible()).toBe(false);
    expect(await page.locator('main').isVisible()).toBe(false);
    expect(await page.locator('#slip-qr').isVisible()).toBe(true);
    expect(mm((await page.locator('#slip').boundingBox())!.width)).toBe(48);
    expect(await page.locator('#slip-lines').textContent()).toContain('02/12/2026 10.15');
    await page.emulateMedia({ media: 'screen' });
    await page.locator('#paper').selectOption('80');
    await page.emulateMedia({ media: 'print' });
    expect(mm((await page.locator('#slip').boundingBox())!.width)).toBe(72);
    const pdf = await page.pdf({ preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.emulateMedia({ media: 'screen' });
    await page.locator('#paper').selectOption('58');
  });

  it('works with the server stopped: converts in the page, and reloads from the service worker', async () => {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 10_000 });
    await stop(server);
    await expect(fetch(server.url + '/')).rejects.toThrow();
    await page.locator('#new-sale').click();
    await sell('1.234.567');
    await expect.poll(() => page.locator('#result').isVisible()).toBe(true);
    expect(await shownPayload()).toBe(toDynamic(STATIC, { amount: '1234567' }));
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#shop-name').textContent()).toBe(NAME);
    await sell('5000');
    await expect.poll(() => page.locator('#result').isVisible()).toBe(true);
    expect(await shownPayload()).toBe(toDynamic(STATIC, { amount: '5000' }));
    expect(pageErrors).toEqual([]);
  });
});

describe('qris pos --out DIR: one self-contained file', () => {
  it('opened from file:// with the network off, it sets up, converts and draws without a single request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qris-pos-file-'));
    try {
      const r = spawnSync(process.execPath, [BIN, 'pos', '--out', dir], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      const context = await browser.newContext({ viewport: { width: 360, height: 760 }, offline: true });
      const p = await context.newPage();
      const requests: string[] = [];
      p.on('request', (req) => requests.push(req.url()));
      const errors: string[] = [];
      p.on('pageerror', (e) => errors.push(e.message));
      const url = pathToFileURL(join(dir, 'index.html')).href;
      await p.goto(url);
      await p.waitForSelector('body[data-ready="true"]');
      await p.locator('#paste').fill(STATIC);
      await p.locator('#paste-form button[type=submit]').click();
      await p.locator('#confirm-yes').click();
      // From disk: the page says that other local files share its storage.
      expect(await p.locator('#context-warning').textContent()).toContain('File HTML lain');
      await p.locator('#amount').pressSequentially('7500');
      await p.locator('#amount').press('Enter');
      await expect.poll(() => p.locator('#result').isVisible()).toBe(true);
      expect(await shownPayload(p)).toBe(toDynamic(STATIC, { amount: '7500' }));
      expect(requests.filter((u) => u !== url && !u.startsWith('data:') && !u.startsWith('blob:'))).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('set-up from the camera', () => {
  it("Chromium's fake camera showing the static QRIS: getUserMedia + the bundled decoder set the merchant", async () => {
    // A Y4M video (what Chromium's fake capture device plays): the QR on a grey 640x480 frame.
    const dir = mkdtempSync(join(tmpdir(), 'qris-pos-cam-'));
    const cam = await launchWithCamera(dir);
    const server2 = await serve(); // the first one was stopped by the offline test
    try {
      const context = await cam.newContext({ viewport: { width: 360, height: 760 } });
      await context.grantPermissions(['camera'], { origin: server2.url });
      const p = await context.newPage();
      await p.goto(server2.url + '/');
      await p.waitForSelector('body[data-ready="true"]');
      await p.locator('#camera-start').click();
      await expect.poll(() => p.locator('#confirm').isVisible(), { timeout: 15_000 }).toBe(true);
      await p.locator('#confirm-yes').click();
      await expect.poll(() => p.locator('#sale').isVisible()).toBe(true);
      expect(await p.locator('#shop-name').textContent()).toBe(NAME);
      // The camera is released once the code is read.
      expect(await p.locator('#camera-video').evaluate((v: HTMLVideoElement) => v.srcObject)).toBeNull();
      await context.close();
    } finally {
      await cam.close();
      await stop(server2);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A Chromium whose fake camera plays a Y4M clip of the static QRIS. */
async function launchWithCamera(dir: string): Promise<Browser> {
  const W = 640;
  const H = 480;
  const qr = await sharp(toPng(STATIC, { scale: 4 }))
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const y = Buffer.alloc(W * H, 160);
  const x0 = (W - qr.info.width) >> 1;
  const y0 = (H - qr.info.height) >> 1;
  for (let r = 0; r < qr.info.height; r++) qr.data.copy(y, (y0 + r) * W + x0, r * qr.info.width, (r + 1) * qr.info.width);
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  const file = join(dir, 'qr.y4m');
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]));
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${file}`],
  });
}

/** Visible form controls with no label (ids, for the failure message). */
function unlabelled(): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLInputElement>('input, select, textarea'))
      .filter((el) => el.offsetParent !== null && (el.labels?.length ?? 0) === 0 && !el.getAttribute('aria-label'))
      .map((el) => el.id || el.outerHTML.slice(0, 60)),
  );
}

/** Visible text whose contrast with its background is below WCAG AA (4.5:1). */
function lowContrast(): Promise<string[]> {
  return page.evaluate(() => {
    const rgb = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]): number => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    const background = (el: Element | null): number[] => {
      for (; el; el = el.parentElement) {
        const c = rgb(getComputedStyle(el).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3]! > 0)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const bad: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('h1, h2, label, p, button, summary, th, td, dt, dd'))) {
      if (el.offsetParent === null || !el.textContent?.trim()) continue;
      const a = lum(rgb(getComputedStyle(el).color).slice(0, 3));
      const b = lum(background(el));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) bad.push(`${el.tagName}#${el.id} "${el.textContent.trim().slice(0, 20)}" ${ratio.toFixed(2)}`);
    }
    return bad;
  });
}
