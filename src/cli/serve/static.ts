/**
 * The cashier page (issue 14) at `/`: the two files `npm run build:pos` writes to dist/pos, read
 * from disk on each request (about 80 KB gzipped, no caching layer to go stale). The page needs no
 * API key: it calls no endpoint and converts in the browser.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { cliDir } from '../paths.js';
import { HttpError } from './http-error.js';

const FILES: ReadonlyMap<string, { readonly file: string; readonly type: string }> = new Map([
  ['/', { file: 'index.html', type: 'text/html; charset=utf-8' }],
  ['/index.html', { file: 'index.html', type: 'text/html; charset=utf-8' }],
  ['/sw.js', { file: 'sw.js', type: 'text/javascript; charset=utf-8' }],
]);

/** Where the built page lives: dist/pos, next to dist/esm and dist/cjs. */
export async function posDir(): Promise<string> {
  return join(await cliDir(), '..', '..', 'pos');
}

/** Answers a request for the page's files and returns true; returns false for any other path. */
export async function servePosPage(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  const entry = FILES.get(path);
  if (!entry) return false;
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD')
    throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${path} accepts GET, HEAD, not ${method}.`, { allow: 'GET, HEAD' });
  let body: Buffer;
  try {
    body = await readFile(join(await posDir(), entry.file));
  } catch {
    throw new HttpError(404, 'NOT_FOUND', 'The cashier page is not built here: run `npm run build:pos`.');
  }
  res.writeHead(200, {
    'content-type': entry.type,
    'content-length': body.length,
    // Revalidate every time: a new build must reach the service worker's update check.
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  });
  res.end(method === 'HEAD' ? undefined : body);
  return true;
}
