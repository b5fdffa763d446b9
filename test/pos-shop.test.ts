/**
 * The cashier page as a shop uses it (issue 18), in Debian's headless Chromium against the built
 * page: a sale on a 360×740 phone with no scroll and the taps counted, a double submit, a whole
 * day (ten sales, two cancelled, one with a fee) that crosses midnight on a fake clock and is still
 * exported the next day as columns Excel in id-ID reads, the print slip sized to its content, the
 * counter-PC layout, and the page's honesty about where it runs: plain http on a LAN name (no
 * secure context) and `qris serve --tls-cert/--tls-key` (https). Writes the README screenshots.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { info, toDynamic, validate } from '../src/index.js';
import { STRING_KEYS, t } from '../src/pos/i18n.js';
import { CHROMIUM, isFormula, openSettings, readCsvExcelId, ROOT, sell, serveDir, setUp, shownPayload, type Static } from './pos-browser.js';

const STATIC = readFileSync(join(ROOT, 'fixtures', 'demo', 'static-qris.txt'), 'utf8').trim();
const BIN = join(ROOT, 'dist', 'esm', 'cli', 'main.js');
const at = (hhmm: string, day = '02') => new Date(`2026-12-${day}T${hhmm}:00+07:00`);

let server: Static;
let browser: Browser;

beforeAll(async () => {
  server = await serveDir();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--lang=id-ID', '--host-resolver-rules=MAP kasir.lan 127.0.0.1'],
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(
  viewport: { width: number; height: number },
  url = server.url + '/',
  extra: Parameters<Browser['newContext']>[0] = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: 'id-ID', timezoneId: 'Asia/Jakarta', acceptDownloads: true, hasTouch: true, ...extra });
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
  await page.clock.setFixedTime(at('10:15'));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  return { context, page };
}

/** A small palette PNG under docs/. */
async function shot(png: Buffer, name: string): Promise<void> {
  writeFileSync(join(ROOT, 'docs', name), await sharp(png).png({ palette: true, colours: 64, compressionLevel: 9 }).toBuffer());
}

/** Visible buttons, inputs and summaries smaller than 48×48 CSS px. */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('button, input, select, summary'))
      .filter((el) => el.offsetParent !== null && el.getClientRects().length > 0)
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.height < 47.5 || r.width < 47.5;
      })
      .map((el) => `${el.tagName}#${el.id}.${el.className} ${el.textContent?.trim().slice(0, 20)}`),
  );
}

describe('on a 360×740 phone', () => {
  it('a sale in one screen: amount, keypad and "Buat QR" in view, no scroll, 5 taps from amount to paid and the next sale', async () => {
    const { context, page } = await open({ width: 360, height: 740 });
    try {
      await page.locator('#paste').fill(STATIC);
      await page.locator('#paste-form button[type=submit]').click();
      await expect.poll(() => page.locator('#confirm').isVisible()).toBe(true);
      expect(await page.locator('#confirm-account').textContent()).toBe('9360 0915 •••• 1481');
      await shot(await page.screenshot({ caret: 'hide', animations: 'disabled' }), 'pos-setup.png');
      await page.locator('#confirm-yes').tap();
      await page.evaluate(() => window.scrollTo(0, 0));
      const inView = async (sel: string) => {
        const b = (await page.locator(sel).boundingBox())!;
        return b.y >= 0 && b.y + b.height <= 740;
      };
      for (const sel of ['#amount', '[data-key="1"]', '[data-key="back"]', '#make-qr']) expect(await inView(sel)).toBe(true);
      expect(await smallTargets(page)).toEqual([]);
      const scrolls: number[] = [];
      let taps = 0;
      const tap = async (sel: string) => {
        await page.locator(sel).tap();
        taps++;
        scrolls.push(await page.evaluate(() => window.scrollY));
      };
      for (const key of ['2', '5', '000']) await tap(`[data-key="${key}"]`);
      expect(await page.locator('#amount').inputValue()).toBe('25.000');
      await tap('#make-qr');
      await expect.poll(() => page.locator('#result').isVisible()).toBe(true);
      expect(await shownPayload(page)).toBe(toDynamic(STATIC, { amount: 25000 }));
      for (const sel of ['#receipt-amount', '#qr', '#check-wallet', '#mark-paid', '#mark-cancelled']) expect(await inView(sel)).toBe(true);
      expect(await page.locator('#check-wallet').textContent()).toContain('pastikan uang Rp 25.000 sudah masuk');
      await shot(await page.screenshot({ caret: 'hide', animations: 'disabled' }), 'pos-qr.png');
      expect(await smallTargets(page)).toEqual([]);
      await tap('#mark-paid');
      // The next sale is ready: one tap did both.
      await expect.poll(() => page.locator('#sale').isVisible()).toBe(true);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('amount');
      expect(await page.locator('#notice').textContent()).toBe('Lunas: Rp 25.000 tercatat.');
      expect(taps).toBe(5);
      expect(scrolls).toEqual([0, 0, 0, 0, 0]);
      // The day's list below: no sideways scroll, targets still 48 px.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      expect(await smallTargets(page)).toEqual([]);
      // Typing a digit on the QR screen starts the next sale with it.
      await page.locator('#amount').pressSequentially('5000');
      await page.locator('#amount').press('Enter');
      await expect.poll(() => page.locator('#result').isVisible()).toBe(true);
      await page.keyboard.press('7');
      await expect.poll(() => page.locator('#sale').isVisible()).toBe(true);
      expect(await page.locator('#amount').inputValue()).toBe('7');
      // The NMID is one unbroken line.
      const nmid = page.locator('#receipt-details dd.nowrap').first();
      expect(await nmid.evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('nowrap');
    } finally {
      await context.close();
    }
  });

  it('a double Enter, or a double tap on "Buat QR", records one sale', async () => {
    const { context, page } = await open({ width: 360, height: 740 });
    try {
      await setUp(page, STATIC);
      await page.locator('#amount').pressSequentially('12000');
      await page.locator('#amount').press('Enter');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#result').isVisible()).toBe(true);
      await page.locator('#mark-cancelled').click();
      await page.locator('#amount').pressSequentially('13000');
      await page.locator('#make-qr').dblclick();
      await expect.poll(() => page.locator('#result').isVisible()).toBe(true);
      await page.locator('#new-sale').click();
      const stored = await page.evaluate(() => (JSON.parse(localStorage.getItem('qris-pos.sales')!) as unknown[]).length);
      expect(stored).toBe(2);
      expect(await page.locator('#sales tbody tr').count()).toBe(2);
    } finally {
      await context.close();
    }
  });
});

describe('a full shop day', () => {
  it('ten sales, two cancelled, one with a fee: the total is the paid sum with fees; after midnight yesterday is still listed and exported as columns', async () => {
    const { context, page } = await open({ width: 1280, height: 800 });
    try {
      await setUp(page, STATIC);
      const sales = [
        { amount: 15000, fee: 0, end: 'paid' },
        { amount: 7500, fee: 0, end: 'paid' },
        { amount: 22000, fee: 1000, end: 'paid' },
        { amount: 5000, fee: 0, end: 'cancelled' },
        { amount: 125000, fee: 0, end: 'paid' },
        { amount: 3000, fee: 0, end: 'paid' },
        { amount: 48500, fee: 0, end: 'cancelled-later' },
        { amount: 10000, fee: 0, end: 'paid' },
        { amount: 9000, fee: 0, end: 'paid' },
        { amount: 61000, fee: 0, end: 'pending' },
      ] as const;
      for (const [i, s] of sales.entries()) {
        await page.clock.setFixedTime(at(`20:${String(10 + i * 4).padStart(2, '0')}`));
        if (s.fee > 0) {
          await page.locator('#more').evaluate((d: HTMLDetailsElement) => (d.open = true));
          await page.locator('#fee-kind').selectOption('fixed');
          await page.locator('#fee-value').fill('1.000');
        }
        await page.locator('#amount').fill('');
        await page.locator('#amount').pressSequentially(String(s.amount));
        if (s.fee > 0) {
          // While a fee is on it stays in sight, with what the payer pays.
          expect(await page.locator('#fee-badge').isVisible()).toBe(true);
          expect(await page.locator('#payer-total').textContent()).toBe('Pembeli membayar Rp 23.000');
        }
        await page.locator('#amount').press('Enter');
        await expect.poll(() => page.locator('#result').isVisible()).toBe(true);
        expect(await page.locator('#receipt-amount').textContent()).toBe(s.fee ? 'Rp 23.000' : `Rp ${s.amount.toLocaleString('id-ID')}`);
        if (s.end === 'paid' || s.end === 'cancelled-later') await page.locator('#mark-paid').click();
        else if (s.end === 'cancelled') await page.locator('#mark-cancelled').click();
        else await page.locator('#new-sale').click();
        if (s.fee > 0) {
          await page.locator('#fee-off').click();
          expect(await page.locator('#fee-badge').isVisible()).toBe(false);
        }
      }
      // A paid sale cancelled from the list (the customer took the money back).
      await page.locator('#sales tbody tr', { hasText: 'Rp 48.500' }).locator('.cancel').click();
      const paidSum = sales.filter((s) => s.end === 'paid').reduce((a, s) => a + s.amount + s.fee, 0);
      expect(paidSum).toBe(15000 + 7500 + 23000 + 125000 + 3000 + 10000 + 9000);
      const totalLine = `Uang diterima (lunas): Rp ${paidSum.toLocaleString('id-ID')} dari 7 penjualan`;
      expect(await page.locator('#total-paid').textContent()).toBe(totalLine);
      expect(await page.locator('#totals').textContent()).toContain('termasuk biaya Rp 1.000');
      expect(await page.locator('#totals').textContent()).toContain('Menunggu: 1 · Batal: 2');
      await page.locator('#settings').evaluate((d: HTMLDetailsElement) => (d.open = true));
      // The counter PC uses its width: the list sits beside the sale.
      const side = (await page.locator('.col-side').boundingBox())!;
      const mainCol = (await page.locator('.col-main').boundingBox())!;
      expect(side.x).toBeGreaterThan(mainCol.x + mainCol.width - 1);
      expect(side.x + side.width - mainCol.x).toBeGreaterThan(1000);
      await shot(await page.screenshot({ caret: 'hide', animations: 'disabled' }), 'pos-list.png');
      expect(await smallTargets(page)).toEqual([]);

      // Midnight passes.
      await page.clock.setFixedTime(at('00:30', '03'));
      await page.reload();
      await page.waitForSelector('body[data-ready="true"]');
      expect(await page.locator('#no-sales').isVisible()).toBe(true);
      // Yesterday's unpaid sale is not lost from sight.
      expect(await page.locator('#elsewhere').textContent()).toContain('Masih menunggu dari hari lain: 1 penjualan.');
      await page.locator('#day-from').fill('2026-12-02');
      await page.locator('#day-to').fill('2026-12-02');
      await expect.poll(() => page.locator('#sales tbody tr').count()).toBe(10);
      expect(await page.locator('#total-paid').textContent()).toBe(totalLine);
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export').click()]);
      expect(download.suggestedFilename()).toBe('qris-penjualan-2026-12-02.csv');
      const rows = readCsvExcelId(readFileSync(await download.path(), 'utf8'));
      expect(rows.length).toBe(11);
      for (const r of rows) expect(r.length).toBe(11);
      expect(rows.flat().filter(isFormula)).toEqual([]);
      const body = rows.slice(1);
      expect(body.map((r) => r[0])).toEqual(Array(10).fill('2026-12-02'));
      expect(body[0]![1]).toBe('20:10:00'); // local time, not UTC (13:10)
      expect(body.map((r) => r[2])).toEqual(['Lunas', 'Lunas', 'Lunas', 'Batal', 'Lunas', 'Lunas', 'Batal', 'Lunas', 'Lunas', 'Menunggu']);
      expect(body[2]!.slice(3, 6)).toEqual(['22000', '1000', '23000']);
      const paidInCsv = body.filter((r) => r[2] === 'Lunas').reduce((a, r) => a + Number(r[5]), 0);
      expect(paidInCsv).toBe(paidSum);
      for (const r of body) expect(info(r[10]!).merchantName).toBe(r[7]);
    } finally {
      await context.close();
    }
  });
});

describe('print and the QR screen on paper', () => {
  it('the 58 mm (and 80 mm) slip is one page as long as its content, with merchant, masked account, amount, QR, date and time', async () => {
    const { context, page } = await open({ width: 360, height: 740 });
    try {
      await setUp(page, STATIC);
      await page.locator('#more').evaluate((d: HTMLDetailsElement) => (d.open = true));
      await page.locator('#bill').fill('INV-0042');
      await sell(page, '25000');
      await page.emulateMedia({ media: 'print' });
      const slip = page.locator('#slip');
      expect(await slip.textContent()).toContain('02/12/2026 10.15');
      expect(await slip.textContent()).toContain('Rek. 9360 0915 •••• 1481');
      expect(await slip.textContent()).toContain('INV-0042');
      await shot(await slip.screenshot(), 'pos-print.png');
      const heightMm = ((await slip.boundingBox())!.height * 25.4) / 96;
      const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
      const boxes = [...pdf.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])].map((pt) => (pt * 25.4) / 72));
      expect(boxes.length).toBe(1);
      const [w, h] = boxes[0]!;
      expect(Math.round(w!)).toBe(58);
      expect(h).toBeGreaterThan(heightMm);
      expect(h).toBeLessThan(heightMm + 10);
      expect(h).toBeLessThan(110);
      // 80 mm paper: the slip widens to 72 mm and the page follows.
      await page.emulateMedia({ media: 'screen' });
      await page.locator('#paper').selectOption('80');
      await page.emulateMedia({ media: 'print' });
      expect(Math.round(((await slip.boundingBox())!.width * 25.4) / 96)).toBe(72);
      const wide = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
      const box80 = [...wide.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])].map((pt) => (pt * 25.4) / 72));
      expect(box80.length).toBe(1);
      expect(Math.round(box80[0]![0]!)).toBe(80);
      expect(box80[0]![1]).toBeLessThan(((await slip.boundingBox())!.height * 25.4) / 96 + 10);
      await page.emulateMedia({ media: 'screen' });
    } finally {
      await context.close();
    }
  });
});

describe('honest about where it runs', () => {
  it('plain http on a LAN name: no offline promise and no camera, and the page says why and how to fix it (in both languages)', async () => {
    const port = new URL(server.url).port;
    const { context, page } = await open({ width: 360, height: 740 }, `http://kasir.lan:${port}/`);
    try {
      expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
      const warning = page.locator('#context-warning');
      expect(await warning.isVisible()).toBe(true);
      expect(await warning.textContent()).toMatch(/bukan https.*--tls-cert.*qris pos --out/);
      expect(await page.locator('#camera-start').isVisible()).toBe(false);
      expect(await page.locator('#offline').isVisible()).toBe(false);
      await setUp(page, STATIC);
      await sell(page, '5000'); // still makes QR codes
      await page.locator('#lang-en').click();
      expect(await warning.textContent()).toMatch(/not https/);
      await page.locator('#mark-paid').click();
      expect(await page.locator('#notice').textContent()).toBe('Paid: Rp 5.000 recorded.');
      expect(await page.locator('#check-wallet').count()).toBe(1);
    } finally {
      await context.close();
    }
  });

  it('qris serve --tls-cert/--tls-key on the LAN: https, a secure context with the camera and the offline promise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qris-pos-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=kasir.lan',
        '-addext',
        'subjectAltName=DNS:kasir.lan,IP:127.0.0.1',
      ],
      { encoding: 'utf8' },
    );
    if (made.status !== 0 || !existsSync(cert)) throw new Error(`openssl is needed for this test: ${made.stderr || made.error?.message}`);
    const env = { ...process.env };
    delete env['QRIS_SERVE_API_KEY'];
    const child: ChildProcessWithoutNullStreams = spawn(
      process.execPath,
      [BIN, 'serve', '--port', '0', '--workers', '1', '--tls-cert', cert, '--tls-key', key],
      { env },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += String(d);
          const m = /https:\/\/127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(m[0]);
        });
        child.once('exit', (code) => reject(new Error(`qris serve exited with ${code}`)));
      });
      // The page over https, checked against the certificate itself.
      const html = await new Promise<string>((resolve, reject) => {
        get(url + '/', { ca: readFileSync(cert) }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += String(d)));
          res.on('end', () => resolve(body));
        }).on('error', reject);
      });
      expect(html).toContain('<title>Kasir QRIS</title>');
      const port = new URL(url).port;
      const { context, page } = await open({ width: 360, height: 740 }, `https://kasir.lan:${port}/`, { ignoreHTTPSErrors: true });
      try {
        expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
        expect(await page.locator('#context-warning').isVisible()).toBe(false);
        expect(await page.locator('#camera-start').isVisible()).toBe(true);
        expect(await page.locator('#offline').isVisible()).toBe(true);
      } finally {
        await context.close();
      }
    } finally {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('settings, replacing the merchant, English', () => {
  const corpus = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'dev-payloads.json'), 'utf8')) as { payload: string; kind: string }[];
  const OTHER = corpus.find((c) => c.kind === 'static' && validate(c.payload).valid && info(c.payload).merchantName !== info(STATIC).merchantName)!.payload;

  it('the maximum per payment is changed in settings and explained when hit; "Ganti QRIS" asks, naming the merchant it replaces', async () => {
    const { context, page } = await open({ width: 360, height: 740 });
    try {
      await setUp(page, STATIC);
      await page.locator('#amount').pressSequentially('10000001');
      await page.locator('#amount').press('Enter');
      await expect.poll(() => page.locator('#sale-error').textContent()).toContain('batasnya Rp 10.000.000 (termasuk biaya)');
      await openSettings(page);
      await page.locator('#max').fill('50.000');
      await page.locator('#max-form button[type=submit]').click();
      expect(await page.locator('#notice').textContent()).toBe('Batas per pembayaran: Rp 50.000.');
      await page.locator('#amount').fill('');
      await page.locator('#amount').pressSequentially('60000');
      await page.locator('#amount').press('Enter');
      await expect.poll(() => page.locator('#sale-error').textContent()).toContain('batasnya Rp 50.000');
      expect(await page.locator('#result').isVisible()).toBe(false);
      await page.locator('#replace').click();
      await page.locator('#paste').fill(OTHER);
      await page.locator('#paste-form button[type=submit]').click();
      await expect.poll(() => page.locator('#confirm').isVisible()).toBe(true);
      expect(await page.locator('#confirm-replacing').textContent()).toContain(`menggantikan QRIS ${info(STATIC).merchantName} (9360 0915 •••• 1481)`);
      await page.locator('#confirm-no').click();
      await page.locator('#setup-cancel').click();
      expect(await page.locator('#shopline-name').textContent()).toBe(info(STATIC).merchantName);
      expect(JSON.parse((await page.evaluate(() => localStorage.getItem('qris-pos.merchant')))!)).toMatchObject({ payload: STATIC });
    } finally {
      await context.close();
    }
  });

  it('in English no Indonesian word of the page is left on the set-up, sale, QR and list screens', async () => {
    const { context, page } = await open({ width: 1280, height: 800 });
    try {
      await page.locator('#lang-en').click();
      const leftovers = async (): Promise<string[]> => {
        const text = await page.evaluate(() => document.body.innerText);
        return STRING_KEYS.map((k) => t('id', k).split('{')[0]!.trim()).filter(
          (w, i) => w.length >= 5 && w !== t('en', STRING_KEYS[i]!).split('{')[0]!.trim() && text.includes(w),
        );
      };
      expect(await leftovers()).toEqual([]);
      await setUp(page, STATIC);
      expect(await leftovers()).toEqual([]);
      await page.locator('#more').evaluate((d: HTMLDetailsElement) => (d.open = true));
      await page.locator('#fee-kind').selectOption('fixed');
      await page.locator('#fee-value').fill('500');
      await sell(page, '25000');
      expect(await leftovers()).toEqual([]);
      expect(await page.locator('#check-wallet').textContent()).toContain('make sure Rp 25.500 has arrived');
      await page.locator('#mark-paid').click();
      await openSettings(page);
      expect(await leftovers()).toEqual([]);
      expect(await page.locator('#total-paid').textContent()).toBe('Money received: Rp 25.500 (1 paid)');
    } finally {
      await context.close();
    }
  });
});

describe('screens for the README', () => {
  it('the sale screen with a fee on (amount, keypad, the fee and what the payer pays)', async () => {
    const { context, page } = await open({ width: 360, height: 740 });
    try {
      await setUp(page, STATIC);
      await openSettings(page);
      await page.locator('#more').evaluate((d: HTMLDetailsElement) => (d.open = true));
      await page.locator('#fee-kind').selectOption('fixed');
      await page.locator('#fee-value').fill('1.000');
      await page.locator('#more').evaluate((d: HTMLDetailsElement) => (d.open = false));
      await page.locator('#amount').pressSequentially('15000');
      expect(await page.locator('#payer-total').textContent()).toBe('Pembeli membayar Rp 16.000');
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot(await page.screenshot({ caret: 'hide', animations: 'disabled' }), 'pos-amount.png');
    } finally {
      await context.close();
    }
  });
});
