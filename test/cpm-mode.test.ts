/**
 * Mode detection everywhere (issue 22, item 5): a consumer-presented (CPM) code given to the core
 * is refused by name (CPM_NOT_MPM, not BAD_ID); the image reader keeps its byte-mode base64 text
 * whole; `qris info` / `qris validate` and `qris serve`'s info endpoint answer with the CPM reading
 * (the BUILT bin and server, as the other CLI and serve tests run them).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, toPng } from '../src/image/index.js';
import { info, parse, toDynamic, toStatic, validate } from '../src/index.js';
import type * as ServerApi from '../src/cli/serve/server.js';
import { codeOf, thrown } from './expect-error.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'dist', 'esm', 'cli', 'main.js');
const BUILT = existsSync(BIN);
const B1 = 'hQVDUFYwMWEaTwegAAAAVVVVVw8SNFZ4kBI0WNGRIgESNF8=';
const B2 =
  'hQVDUFYwMWETTwegAAAAVVVVUAhQcm9kdWN0MWETTwegAAAAZmZmUAhQcm9kdWN0MmJJWggSNFZ4kBI0WF8gDkNBUkRIT0xERVIvRU1WXy0IcnVlc2RlZW5kIZ8QBwYBCgMAAACfJghYT9OF+iNLzJ82AgABnzcEbVjvEw==';

describe('the core refuses a CPM code by name', () => {
  it('parse, info, toDynamic, toStatic: CPM_NOT_MPM at offset 0 (after leading whitespace: its index), saying it is a consumer code', () => {
    for (const f of [() => parse(B2), () => info(B2), () => toDynamic(B2, { amount: 1000 }), () => toStatic(B2)]) {
      const e = thrown(f);
      expect(e.code).toBe('CPM_NOT_MPM');
      expect(e.offset).toBe(0);
      expect(e.message).toMatch(/consumer-presented.*not a merchant/);
    }
    expect(thrown(() => parse('  ' + B1)).offset).toBe(2);
    expect(validate(B1).issues).toEqual([expect.objectContaining({ code: 'CPM_NOT_MPM', severity: 'error' })]);
  });

  it('other non-digit starts keep BAD_ID (only the CPM prefix is named)', () => {
    expect(codeOf(() => parse('hQVDUFX' + B1.slice(7)))).toBe('BAD_ID');
    expect(codeOf(() => parse('AB0201'))).toBe('BAD_ID');
  });
});

describe('images: byte-mode base64 survives', () => {
  let png: Uint8Array;
  beforeAll(() => {
    png = toPng(B2, { scale: 6 });
  });

  it('decodeImage({ all: true }) returns the text unchanged, marked cpm', async () => {
    const r = await decodeImage(png, { all: true });
    expect(r.codes.map((c) => [c.text, c.kind])).toEqual([[B2, 'cpm']]);
  });

  it('decodeImage refuses it as a merchant code (IMAGE_NOT_EMVCO) with the whole text in actual and a message naming CPM', async () => {
    const e = await decodeImage(png).catch((x: unknown) => x);
    expect((e as { code: string }).code).toBe('IMAGE_NOT_EMVCO');
    expect((e as { actual: string }).actual).toBe(B2);
    expect((e as Error).message).toContain('consumer-presented (CPM)');
  });
});

function qris(args: readonly string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!BUILT)('the CLI answers with the CPM reading (built bin)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'qris-cpm-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('qris info prints it in words, the PAN masked; --json too', () => {
    const out = qris(['info', B2]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('consumer-presented (CPM)');
    expect(out.stdout).toMatch(/AID\s+A0000000555555/);
    expect(out.stdout).toMatch(/Label\s+Product2/);
    expect(out.stdout).toContain('12345678••••3458');
    expect(out.stdout).not.toContain('1234567890123458');
    expect(out.stdout).not.toContain('BAD_ID');
    const j = qris(['info', '--json', B1]);
    const body = JSON.parse(j.stdout) as { mode: string; applications: { maskedPan: string; expiry: string; pan?: string }[] };
    expect(body.mode).toBe('cpm');
    expect(body.applications[0]).toMatchObject({ maskedPan: '12345678••••3458', expiry: '1912' });
    expect(j.stdout).not.toContain('1234567890123458');
  });

  it('qris info and validate read a picture of a CPM code', () => {
    const file = join(dir, 'cpm.png');
    writeFileSync(file, toPng(B2, { scale: 6 }));
    expect(qris(['info', file]).stdout).toMatch(/Label\s+Product1/);
    expect(qris(['validate', file]).stdout).toContain('valid consumer-presented (CPM) code');
  });

  it('qris validate checks the CPM rules (exit 0 / 1), with --profile', () => {
    const ok = qris(['validate', B2]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('valid consumer-presented (CPM) code: 0 error(s)');
    const q = qris(['validate', '--profile', 'qris', '--json', B2]);
    expect(q.code).toBe(1);
    expect((JSON.parse(q.stdout) as { issues: { code: string }[] }).issues.map((i) => i.code)).toContain('QRIS_CPM_BAD_AID');
    const cut = qris(['validate', B1.slice(0, 36)]);
    expect(cut.code).toBe(1);
    expect(cut.stdout).toContain('BER_LENGTH_OVERRUN');
  });
});

describe.skipIf(!BUILT)('qris serve: /api/qris-info.php answers a CPM code (built server)', () => {
  type Running = Awaited<ReturnType<typeof ServerApi.startServer>>;
  let s: Running;
  beforeAll(async () => {
    const { startServer } = (await import(pathToFileURL(join(ROOT, 'dist', 'esm', 'cli', 'serve', 'server.js')).href)) as typeof ServerApi;
    s = await startServer({ port: 0, workers: 1, log: () => undefined });
  });
  afterAll(() => s?.close(100));

  it('mode cpm, valid, the reading with the PAN masked; a broken one is a 400 with its code', async () => {
    const res = await fetch(`${s.url}/api/qris-info.php`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ qris: B2 }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text) as {
      success: boolean;
      mode: string;
      valid: boolean;
      info: { applications: { label: string; maskedPan: string }[]; commonTransparentData: string };
    };
    expect(body).toMatchObject({ success: true, mode: 'cpm', valid: true });
    expect(body.info.applications.map((a) => a.label)).toEqual(['Product1', 'Product2']);
    expect(body.info.applications[0]!.maskedPan).toBe('12345678••••3458');
    expect(body.info.commonTransparentData).toMatch(/^9F10/);
    expect(text).not.toContain('1234567890123458');
    const bad = await fetch(`${s.url}/api/qris-info.php?qris=${encodeURIComponent(B1.slice(0, 36))}`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('BER_LENGTH_OVERRUN');
  });
});
