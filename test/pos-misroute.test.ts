/**
 * The four ways issue 18 found to show one payment and charge another, end to end in Debian's
 * headless Chromium against the built page (POS_DIR, default dist/pos). Each test states the rule
 * "what is shown is what is paid" for the path it attacks: whenever a QR screen is up, its merchant
 * name and amount are those of the QR actually drawn (read back from the canvas in Node).
 * Run against the page before issue 18, every test here fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { crc16Hex, info, toDynamic, validate } from '../src/index.js';
import { feeOf, payerTotal } from '../src/pos/money.js';
import { formatRupiah } from '../src/pos/rupiah.js';
import { LAYOUTS, ORIGINAL, tamper } from './multi-code-pictures.js';
import { CHROMIUM, isFormula, openSettings, readCsvExcelId, ROOT, sell, serveDir, setUp, shownPayload, type Static } from './pos-browser.js';

const STATIC = readFileSync(join(ROOT, 'fixtures', 'demo', 'static-qris.txt'), 'utf8').trim();
const NAME = info(STATIC).merchantName!;
const corpus = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'dev-payloads.json'), 'utf8')) as { payload: string; kind: string }[];
/** Another merchant's real static code. */
const OTHER = corpus.find((c) => c.kind === 'static' && validate(c.payload).valid && info(c.payload).merchantName !== NAME)!.payload;
/** The shop's code with only its account number (26/01) changed: same name, NMID and acquirer. */
const SWAPPED = (() => {
  const pan = info(STATIC).accounts[0]!.pan!;
  const body = STATIC.slice(0, -4).replace(pan, pan.slice(0, -4) + '9999');
  return body + crc16Hex(body);
})();
const CLOCK = new Date('2026-12-02T10:15:00+07:00');

let server: Static;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  server = await serveDir();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});
beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta', acceptDownloads: true });
  page = await context.newPage();
  await page.clock.setFixedTime(CLOCK);
  page.on('dialog', (d) => void d.accept());
  await page.goto(server.url + '/');
  await page.waitForSelector('body[data-ready="true"]');
});
afterEach(async () => {
  await context?.close();
});

/** The rule: a QR screen's merchant and amount are those of the drawn QR. Returns false when no QR is up. */
async function shownIsPaid(p: Page): Promise<boolean> {
  if (!(await p.locator('#result').isVisible())) return false;
  const meta = info(await shownPayload(p)); // a drawn URL or junk fails here: not a QRIS
  expect(meta.isDynamic).toBe(true);
  expect(await p.locator('#receipt-merchant').textContent()).toBe(meta.merchantName);
  // The headline is what the payer pays: amount + fee ("+ tip" when the payer types it).
  const total = payerTotal(meta.amount!.text, feeOf(meta));
  expect(await p.locator('#receipt-amount').textContent()).toBe(total !== null ? formatRupiah(total) : `${formatRupiah(meta.amount!.text)} + tip`);
  return true;
}

/** Rewrites every stored sale with `edit` (old records carry amount, new ones only the payload). */
async function poisonSales(p: Page, edit: { payload: string; amount?: string }): Promise<void> {
  await p.evaluate((e) => {
    const sales = JSON.parse(localStorage.getItem('qris-pos.sales') ?? '[]') as Record<string, unknown>[];
    localStorage.setItem('qris-pos.sales', JSON.stringify(sales.map((s) => ({ ...s, ...e }))));
  }, edit);
  await p.reload();
  await p.waitForSelector('body[data-ready="true"]');
}

describe('what is shown is what is paid', () => {
  it('replace the merchant, then "show again" an earlier sale: never the old QR under the new name', async () => {
    await setUp(page, STATIC);
    await sell(page, '25000');
    await page.locator('#new-sale').click();
    await openSettings(page);
    await page.locator('#replace').click();
    await setUp(page, OTHER);
    await page.locator('#sales tbody tr .show').first().click();
    await page.waitForTimeout(300);
    if (await shownIsPaid(page)) {
      // Drawn: then only for the merchant set up now, never a payment to the replaced one.
      expect(info(await shownPayload(page)).merchantName).toBe(info(OTHER).merchantName);
    } else {
      // Refused: the cashier is told whose code it was, and the row stays labelled as theirs.
      expect(await page.locator('#notice').textContent()).toContain(NAME);
      expect(await page.locator('#sales tbody tr').first().textContent()).toContain(NAME);
    }
  });

  it('a stored sale edited to another merchant and amount is not drawn under the shop name, and the list shows what it really charges', async () => {
    await setUp(page, STATIC);
    await sell(page, '25000');
    await page.locator('#new-sale').click();
    const evil = toDynamic(OTHER, { amount: '2500000' });
    await poisonSales(page, { payload: evil, amount: '25000' });
    const row = page.locator('#sales tbody tr').first();
    expect(await row.textContent()).toContain('Rp 2.500.000');
    expect(await row.textContent()).not.toContain('Rp 25.000');
    await row.locator('.show').click();
    await page.waitForTimeout(300);
    expect(await shownIsPaid(page)).toBe(false);
    expect(await page.locator('#notice').textContent()).toContain(info(OTHER).merchantName!);
  });

  it('a stored sale edited to a URL is never drawn as a QR', async () => {
    await setUp(page, STATIC);
    await sell(page, '1000');
    await page.locator('#new-sale').click();
    await poisonSales(page, { payload: 'https://pay.example/evil', amount: '1000' });
    const show = page.locator('#sales tbody tr .show');
    if ((await show.count()) > 0) {
      await show.first().click();
      await page.waitForTimeout(300);
    }
    expect(await page.locator('#result').isVisible()).toBe(false);
  });

  it('a stored merchant whose account number (26/01) was changed after set-up is refused and needs a fresh set-up', async () => {
    expect(validate(SWAPPED).valid).toBe(true);
    await setUp(page, STATIC);
    await page.evaluate((payload) => {
      const m = JSON.parse(localStorage.getItem('qris-pos.merchant')!) as Record<string, unknown>;
      localStorage.setItem('qris-pos.merchant', JSON.stringify({ ...m, payload }));
    }, SWAPPED);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#sale').isVisible()).toBe(false);
    expect(await page.locator('#setup').isVisible()).toBe(true);
    expect(await page.locator('#setup-error').textContent()).toMatch(/berubah sejak Anda mengonfirmasinya/);
  });

  it('";" injection: a bill number like x;=1+1; never becomes a formula cell when Excel in id-ID opens the export', async () => {
    await setUp(page, STATIC);
    for (const bill of ['x;=1+1;', ';-2+3', 'a;@SUM(1)', 'b,=1+1', '"q";=1']) {
      if (await page.locator('#result').isVisible()) await page.locator('#new-sale').click();
      await page.locator('#more').evaluate((d: HTMLDetailsElement) => (d.open = true));
      await page.locator('#bill').fill(bill);
      await sell(page, '5000');
    }
    await page.locator('#new-sale').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export').click()]);
    const rows = readCsvExcelId(readFileSync(await download.path(), 'utf8'));
    const formulas = rows.flat().filter(isFormula);
    expect(formulas).toEqual([]);
    // And it opens as columns: every row as wide as the header.
    expect(new Set(rows.map((r) => r.length)).size).toBe(1);
  });
});

describe('a second sticker in the set-up photo (issue 17)', () => {
  it.each(['side-by-side-ab', 'stacked', 'noisy-jpeg'])(
    '%s: nothing is set up; both codes are listed with name, NMID and masked account, in plain Indonesian',
    async (layout) => {
      const pic = await LAYOUTS.find((l) => l.name === layout)!.build(ORIGINAL, tamper(ORIGINAL));
      await page
        .locator('#photo')
        .setInputFiles({ name: `sticker.${pic.format === 'png' ? 'png' : 'jpg'}`, mimeType: `image/${pic.format}`, buffer: pic.bytes });
      const error = page.locator('#setup-error');
      await expect.poll(() => error.locator('p').first().getAttribute('data-code'), { timeout: 20_000 }).toBe('IMAGE_MULTIPLE_CODES');
      const text = (await error.textContent()) ?? '';
      expect(text).toContain('2 QR pembayaran yang berbeda');
      expect(text).toContain('stiker QR kedua');
      expect(text).toContain('Tidak ada yang dipasang');
      // Each code on its own line, in reading order: name, NMID and the account (prefix and last digits).
      const line = (k: number, payload: string): string => {
        const m = info(payload);
        const pan = m.accounts.find((a) => a.pan !== undefined)!.pan!;
        return `${k}. ${m.merchantName} · NMID ${m.nmid} · Rekening ${pan.slice(0, 4)} ${pan.slice(4, 8)} •••• ${pan.slice(-4)}`;
      };
      // The merchant's code is left of (or above) the sticker in these layouts.
      expect(text).toContain(line(1, ORIGINAL));
      expect(text).toContain(line(2, tamper(ORIGINAL)));
      expect(await page.evaluate(() => localStorage.getItem('qris-pos.merchant'))).toBeNull();
      expect(await page.locator('#confirm').isVisible()).toBe(false);
    },
    60_000,
  );
});
