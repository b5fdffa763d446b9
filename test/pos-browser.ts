/**
 * Shared helpers of the cashier page's browser tests: a static server for a built page folder on
 * 127.0.0.1 (POS_DIR, default dist/pos, so the same tests can be pointed at an older build),
 * Debian's Chromium, the QR read back from the page's canvas, and a reader of CSV the way Excel
 * with Indonesian regional settings reads it.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { decodeImage } from '../src/image/index.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const POS_DIR = process.env['POS_DIR'] ?? join(ROOT, 'dist', 'pos');
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export interface Static {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves index.html and sw.js of `dir` on a free loopback port. */
export async function serveDir(dir: string = POS_DIR): Promise<Static> {
  const files: Record<string, [string, string]> = {
    '/': ['index.html', 'text/html; charset=utf-8'],
    '/index.html': ['index.html', 'text/html; charset=utf-8'],
    '/sw.js': ['sw.js', 'text/javascript; charset=utf-8'],
  };
  const server: Server = createServer((req, res) => {
    const f = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    readFile(join(dir, f[0])).then(
      (body) => res.writeHead(200, { 'content-type': f[1], 'cache-control': 'no-cache' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** The payload in the QR the page shows, read from its canvas in Node. */
export async function shownPayload(p: Page): Promise<string> {
  const dataUrl = await p.locator('#qr').evaluate((c: HTMLCanvasElement) => c.toDataURL('image/png'));
  return (await decodeImage(Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'))).payload;
}

/** Sets the shop's code by pasting it (and confirming it, on a page that asks). */
export async function setUp(p: Page, payload: string): Promise<void> {
  await p.locator('#paste').fill(payload);
  await p.locator('#paste-form button[type=submit]').click();
  if ((await p.locator('#confirm-yes').count()) > 0) {
    await expect.poll(() => p.locator('#confirm-yes').isVisible()).toBe(true);
    await p.locator('#confirm-yes').click();
  }
  await expect.poll(() => p.locator('#sale').isVisible()).toBe(true);
}

/** Opens the settings (where "Ganti QRIS" lives), on a page that has them. */
export async function openSettings(p: Page): Promise<void> {
  if ((await p.locator('#settings').count()) > 0) await p.locator('#settings').evaluate((d: HTMLDetailsElement) => (d.open = true));
}

/** Types an amount and presses Enter; waits for the QR screen. */
export async function sell(p: Page, amount: string): Promise<void> {
  await p.locator('#amount').fill('');
  await p.locator('#amount').pressSequentially(amount);
  await p.locator('#amount').press('Enter');
  await expect.poll(() => p.locator('#result').isVisible()).toBe(true);
}

/**
 * A CSV document read as Excel with Indonesian regional settings reads it: a first line `sep=X`
 * sets the separator, else the list separator `;` splits; double quotes group a cell (a doubled
 * quote is one quote); CRLF or LF ends a row. Returns the cells as Excel holds them.
 */
export function readCsvExcelId(text: string): string[][] {
  let s = text.replace(/^\uFEFF/, '');
  let sep = ';';
  const first = /^sep=(.)\r?\n/.exec(s);
  if (first) {
    sep = first[1]!;
    s = s.slice(first[0].length);
  }
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || (c === '\r' && s[i + 1] === '\n')) {
      if (c === '\r') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** A cell Excel would run: it starts with = + - @ (a leading ' makes it text). */
export function isFormula(cell: string): boolean {
  return /^[\t\r\n ]*[=+\-@]/.test(cell);
}
