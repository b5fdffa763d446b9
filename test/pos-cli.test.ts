/**
 * `qris pos --out DIR` from the BUILT bin: writes the page `npm run build:pos` made (byte for byte)
 * into a folder it creates, refuses to run without --out, and is listed in the help; and the usage
 * errors of `qris serve --tls-cert/--tls-key` (the https server itself is in test/pos-shop.test.ts).
 * (That the written folder works from file:// with no network is in test/pos-e2e.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'dist', 'esm', 'cli', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'qris-pos-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function qris(args: readonly string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: work, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('qris pos', () => {
  it('writes index.html and sw.js, identical to dist/pos, into a new nested folder', () => {
    const out = join(work, 'site', 'kasir');
    const r = qris(['pos', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const f of ['index.html', 'sw.js']) {
      expect(readFileSync(join(out, f))).toEqual(readFileSync(join(ROOT, 'dist', 'pos', f)));
      expect(r.stdout).toContain(`wrote ${join(out, f)} (`);
    }
    const j = qris(['pos', '-o', out, '--json']);
    expect(JSON.parse(j.stdout)).toEqual({
      dir: out,
      files: ['index.html', 'sw.js'].map((name) => ({ name, bytes: readFileSync(join(ROOT, 'dist', 'pos', name)).length })),
    });
  });

  it('without --out: a usage error (exit 2), nothing written', () => {
    const r = qris(['pos']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Give --out DIR');
    expect(existsSync(join(work, 'index.html'))).toBe(false);
  });

  it('is in the command list and has its own help', () => {
    expect(qris(['--help']).stdout).toMatch(/^ {2}pos\s+Write the offline cashier page/m);
    const help = qris(['pos', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--out DIR');
  });
});

describe('qris serve --tls-cert/--tls-key', () => {
  it('one without the other, an unreadable file, or files that are not a certificate and key: a usage error (exit 2), no server', () => {
    const lone = qris(['serve', '--port', '0', '--tls-cert', 'cert.pem']);
    expect(lone.code).toBe(2);
    expect(lone.stderr).toContain('--tls-cert and --tls-key go together');
    const missing = qris(['serve', '--port', '0', '--tls-cert', 'nope.pem', '--tls-key', 'nope.key']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Cannot read the --tls-cert file "nope.pem"');
    writeFileSync(join(work, 'junk.pem'), 'not a certificate');
    const junk = qris(['serve', '--port', '0', '--tls-cert', 'junk.pem', '--tls-key', 'junk.pem']);
    expect(junk.code).toBe(2);
    expect(junk.stderr).toContain('not a matching PEM certificate and private key');
    expect(junk.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('is in the help of serve', () => {
    const help = qris(['serve', '--help']);
    expect(help.stdout).toContain('--tls-cert FILE');
    expect(help.stdout).toContain('--tls-key FILE');
  });
});
