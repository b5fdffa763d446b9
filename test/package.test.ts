/**
 * The BUILT package (dist/, made by `npm run build`, which `npm test` runs first), loaded the way a
 * user loads it: by package name through `exports`, from ESM and from CommonJS, in fresh Node
 * processes. Nothing here imports src/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import corpus from '../fixtures/dev-payloads.json' with { type: 'json' };
import { crcHexRef } from './arbitraries.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const PAYLOAD = corpus.find((e) => e.payload.endsWith('630458C7'))!.payload; // DANA static

/** Runs `node args...` in the project root and returns its stdout parsed as JSON. */
function node(args: readonly string[], env: Record<string, string> = {}): unknown {
  const out = execFileSync(process.execPath, [...args], {
    cwd: ROOT,
    env: { ...process.env, PAYLOAD, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

const PROBE = `
  const p = parse(process.env.PAYLOAD);
  let err;
  try { parse(process.env.PAYLOAD.slice(0, -1) + 'X'); } catch (e) { err = e; }
  console.log(JSON.stringify({
    crc: crc16Hex('123456789'),
    ids: p.nodes.map((n) => n.id),
    roundTrip: serialize(p) === process.env.PAYLOAD,
    errIsQrisError: err instanceof QrisError,
    errIsError: err instanceof Error,
    errCode: err && err.code,
    errTag: err && err.tag,
  }));
`;

const EXPECTED_PROBE = {
  crc: '29B1',
  ids: ['00', '01', '26', '51', '52', '53', '58', '59', '60', '61', '63'],
  roundTrip: true,
  errIsQrisError: true,
  errIsError: true,
  errCode: 'CRC_BAD_FORMAT',
  errTag: '63',
};

beforeAll(() => {
  if (!existsSync(join(DIST, 'esm', 'index.js')) || !existsSync(join(DIST, 'cjs', 'index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (`npm test` does).');
  }
});

describe('package: importable by name on this Node', () => {
  it('ESM: import { parse, crc16Hex, serialize, QrisError } from "qris-codec" works', () => {
    const out = node(['--input-type=module', '-e', `import { parse, crc16Hex, serialize, QrisError } from 'qris-codec';\n${PROBE}`]);
    expect(out).toEqual(EXPECTED_PROBE);
  });

  it('CommonJS: require("qris-codec") works, and a thrown error is instanceof require("qris-codec").QrisError', () => {
    const out = node(['--input-type=commonjs', '-e', `const q = require('qris-codec'); const { parse, crc16Hex, serialize, QrisError } = q;\n${PROBE}`]);
    expect(out).toEqual(EXPECTED_PROBE);
  });

  it('the CRC from both builds matches the reference for a non-ASCII string', () => {
    const s = 'Kopi 😀 最佳';
    const esm = node(['--input-type=module', '-e', `import { crc16Hex } from 'qris-codec'; console.log(JSON.stringify(crc16Hex(process.env.S)))`], { S: s });
    const cjs = node(['--input-type=commonjs', '-e', `console.log(JSON.stringify(require('qris-codec').crc16Hex(process.env.S)))`], { S: s });
    expect(esm).toBe(crcHexRef(s));
    expect(cjs).toBe(crcHexRef(s));
  });

  it('isQrisError recognises an error thrown by the other build (ESM and CJS loaded together)', () => {
    const out = node([
      '--input-type=module',
      '-e',
      `import { isQrisError } from 'qris-codec';
       import { createRequire } from 'node:module';
       const cjs = createRequire(import.meta.url)('qris-codec');
       let e; try { cjs.parse(''); } catch (x) { e = x; }
       console.log(JSON.stringify({ recognised: isQrisError(e), code: e.code }));`,
    ]);
    expect(out).toEqual({ recognised: true, code: 'EMPTY_INPUT' });
  });

  it('package.json is reachable as "qris-codec/package.json"', () => {
    const out = node(['--input-type=commonjs', '-e', `console.log(JSON.stringify(require('qris-codec/package.json').name))`]);
    expect(out).toBe('qris-codec');
  });
});

describe('package: the core entry pulls in no dependency', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'qris-load-'));
    writeFileSync(join(tmp, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);
    writeFileSync(
      join(tmp, 'hooks.mjs'),
      `import { appendFileSync } from 'node:fs';\n` +
        `export async function load(url, context, next) { appendFileSync(process.env.QRIS_LOAD_LOG, url + '\\n'); return next(url, context); }\n`,
    );
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('ESM: importing "qris-codec" loads only files under dist/esm (no node_modules, no builtins, no image/remote/cli)', () => {
    const log = join(tmp, 'esm.log');
    node(['--import', join(tmp, 'register.mjs'), '--input-type=module', '-e', `import { parse } from 'qris-codec'; console.log(JSON.stringify(typeof parse));`], {
      QRIS_LOAD_LOG: log,
    });
    const loaded = readFileSync(log, 'utf8').trim().split('\n');
    const esmDir = pathToFileURL(join(DIST, 'esm')).href + '/';
    expect(loaded).toContain(esmDir + 'index.js');
    for (const url of loaded) {
      expect(url.startsWith(esmDir), url).toBe(true);
      expect(url.slice(esmDir.length - 1)).not.toMatch(/node_modules|\/(image|remote|cli)\//); // relative: the checkout's own path may hold /remote/
    }
  });

  it('CommonJS: require("qris-codec") caches only files under dist/cjs', () => {
    const cached = node(['--input-type=commonjs', '-e', `require('qris-codec'); console.log(JSON.stringify(Object.keys(require.cache)))`]) as string[];
    expect(cached).toContain(join(DIST, 'cjs', 'index.js'));
    for (const file of cached) {
      expect(file.startsWith(join(DIST, 'cjs') + sep), file).toBe(true);
      expect(file.slice(join(DIST, 'cjs').length)).not.toMatch(/node_modules|[/\\](image|remote|cli)[/\\]/);
    }
  });

  it('static check: the core files of dist/esm and dist/cjs import nothing but relative paths', () => {
    const checked: string[] = [];
    for (const flavour of ['esm', 'cjs']) {
      const base = join(DIST, flavour);
      for (const file of listJs(base)) {
        const rel = relative(base, file);
        if (/^(image|remote|cli)[/\\]/.test(rel)) continue;
        checked.push(`${flavour}/${rel}`);
        const text = readFileSync(file, 'utf8');
        const specs = [
          ...text.matchAll(/\bfrom\s*['"]([^'"]+)['"]/g),
          ...text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
          ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
          ...text.matchAll(/\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
        ].map((m) => m[1]!);
        for (const spec of specs) expect(spec, `${flavour}/${rel} imports ${spec}`).toMatch(/^\.\.?\//);
      }
    }
    expect(checked).toContain('esm/index.js');
    expect(checked).toContain('cjs/index.js');
  });
});

function listJs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listJs(p));
    else if (name.endsWith('.js') || name.endsWith('.mjs') || name.endsWith('.cjs')) out.push(p);
  }
  return out;
}
