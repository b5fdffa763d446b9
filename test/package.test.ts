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

  it("qris-codec/cpm: import and require by name give the same reading, and its QrisError is the core's", () => {
    const probe = `const B1 = 'hQVDUFYwMWEaTwegAAAAVVVVVw8SNFZ4kBI0WNGRIgESNF8='; let code; try { m.parseCpm('hQ!'); } catch (e) { code = [e.code, e instanceof core.QrisError]; }
      console.log(JSON.stringify({ aid: m.cpmInfo(B1).applications[0].aid, valid: m.validateCpm(B1).valid, code }));`;
    const esm = node(['--input-type=module', '-e', `import * as m from 'qris-codec/cpm'; import * as core from 'qris-codec';\n${probe}`]);
    const cjs = node(['--input-type=commonjs', '-e', `const m = require('qris-codec/cpm'); const core = require('qris-codec');\n${probe}`]);
    for (const out of [esm, cjs]) expect(out).toEqual({ aid: 'A0000000555555', valid: true, code: ['BAD_ENCODING', true] });
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
    node(
      ['--import', join(tmp, 'register.mjs'), '--input-type=module', '-e', `import { parse } from 'qris-codec'; console.log(JSON.stringify(typeof parse));`],
      {
        QRIS_LOAD_LOG: log,
      },
    );
    const loaded = readFileSync(log, 'utf8').trim().split('\n');
    const esmDir = pathToFileURL(join(DIST, 'esm')).href + '/';
    expect(loaded).toContain(esmDir + 'index.js');
    for (const url of loaded) {
      expect(url.startsWith(esmDir), url).toBe(true);
      expect(url.slice(esmDir.length - 1)).not.toMatch(/node_modules|\/(image|remote|cli|cpm)\//); // relative: the checkout's own path may hold /remote/
    }
  });

  it('CommonJS: require("qris-codec") caches only files under dist/cjs', () => {
    const cached = node(['--input-type=commonjs', '-e', `require('qris-codec'); console.log(JSON.stringify(Object.keys(require.cache)))`]) as string[];
    expect(cached).toContain(join(DIST, 'cjs', 'index.js'));
    for (const file of cached) {
      expect(file.startsWith(join(DIST, 'cjs') + sep), file).toBe(true);
      expect(file.slice(join(DIST, 'cjs').length)).not.toMatch(/node_modules|[/\\](image|remote|cli|cpm)[/\\]/);
    }
  });

  it('static check: the core files of dist/esm and dist/cjs import nothing but relative paths', () => {
    const checked: string[] = [];
    for (const flavour of ['esm', 'cjs']) {
      const base = join(DIST, flavour);
      for (const file of listJs(base)) {
        const rel = relative(base, file);
        if (/^(image|remote|cli|cpm)[/\\]/.test(rel)) continue;
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

/**
 * The tarball a user gets (`npm pack`), installed with `npm i <tgz>` into an empty project without
 * the optional peers. `--offline`: the core has no dependencies, so nothing may need the registry.
 */
describe('package: a fresh `npm i qris-codec` (the packed tarball, no optional peers)', () => {
  let proj: string;
  let tgz: string;
  const inProj = (args: readonly string[], env: Record<string, string> = {}): { stdout: string; stderr: string; status: number } => {
    try {
      const stdout = execFileSync(process.execPath, args, {
        cwd: proj,
        env: { ...process.env, ...env },
        encoding: 'utf8',
        timeout: 120_000,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return { stdout, stderr: '', status: 0 };
    } catch (e) {
      const x = e as { stdout: string; stderr: string; status: number };
      return { stdout: x.stdout, stderr: x.stderr, status: x.status };
    }
  };
  beforeAll(() => {
    proj = mkdtempSync(join(tmpdir(), 'qris-install-'));
    const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', proj], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    tgz = join(proj, (JSON.parse(packed) as { filename: string }[])[0]!.filename);
    writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    execFileSync('npm', ['i', tgz, '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: proj, encoding: 'utf8', timeout: 60_000 });
  }, 120_000);
  afterAll(() => {
    if (proj) rmSync(proj, { recursive: true, force: true });
  });

  it('installs at most 3 packages and at most 3 MB', () => {
    const dirs = readdirSync(join(proj, 'node_modules')).filter((n) => !n.startsWith('.'));
    const packages = dirs.flatMap((n) => (n.startsWith('@') ? readdirSync(join(proj, 'node_modules', n)).map((m) => `${n}/${m}`) : [n]));
    expect(packages).toEqual(['qris-codec']);
    expect(packages.length).toBeLessThanOrEqual(3);
    const bytes = duBytes(join(proj, 'node_modules'));
    expect(bytes).toBeLessThan(3 * 1024 * 1024);
  });

  it('ships no source maps, and the LICENSE and CHANGELOG', () => {
    const pkg = join(proj, 'node_modules', 'qris-codec');
    expect(listAll(pkg).filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(readFileSync(join(pkg, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(existsSync(join(pkg, 'CHANGELOG.md'))).toBe(true);
  });

  it('the core, qris-codec/remote and the payload CLI work; qris-codec/image imports', () => {
    const out = inProj(
      [
        '--input-type=module',
        '-e',
        `import { parse, toDynamic } from 'qris-codec'; import { createBayarClient } from 'qris-codec/remote'; import { validateCpm } from 'qris-codec/cpm'; const img = await import('qris-codec/image');
      console.log(JSON.stringify({ ids: parse(process.env.PAYLOAD).nodes.length, dyn: toDynamic(process.env.PAYLOAD, { amount: 1000 }).slice(0, 12), client: typeof createBayarClient, cpm: validateCpm(process.env.CPM).valid, img: Object.keys(img).sort() }));`,
      ],
      { PAYLOAD, CPM: 'hQVDUFYwMWEaTwegAAAAVVVVVw8SNFZ4kBI0WNGRIgESNF8=' },
    );
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual({
      ids: 11,
      dyn: '000201010212',
      client: 'function',
      cpm: true,
      img: [
        'DEFAULT_MAX_BYTES',
        'DEFAULT_MAX_DECODED_BYTES',
        'DEFAULT_MAX_PIXELS',
        'DEFAULT_TIME_BUDGET_MS',
        'decodeImage',
        'toDataUrl',
        'toPng',
        'toSvg',
        'toTerminal',
      ],
    });
    const cli = inProj([join(proj, 'node_modules', 'qris-codec', 'dist', 'esm', 'cli', 'main.js'), 'validate', PAYLOAD]);
    expect(cli.status).toBe(0);
  });

  it('without the image peers: decodeImage and toPng (ESM and CJS) throw IMAGE_ENGINE_MISSING naming the npm i to run', () => {
    const png = join(ROOT, 'fixtures', 'images', 'clean-small.png');
    const probe = `const r = {}; for (const [k, f] of Object.entries({ decode: () => m.decodeImage(fs.readFileSync(process.env.PNG)), png: () => m.toPng('x'), svg: () => m.toSvg('x') })) { try { await f(); r[k] = 'no error'; } catch (e) { r[k] = [e.name, e.code, e.message]; } } console.log(JSON.stringify(r));`;
    const esm = inProj(['--input-type=module', '-e', `import * as fs from 'node:fs'; import * as m from 'qris-codec/image'; ${probe}`], { PNG: png });
    const cjs = inProj(['--input-type=commonjs', '-e', `const fs = require('node:fs'); const m = require('qris-codec/image'); (async () => { ${probe} })();`], {
      PNG: png,
    });
    for (const out of [esm, cjs]) {
      const r = JSON.parse(out.stdout) as Record<string, [string, string, string]>;
      expect(r['decode']!.slice(0, 2)).toEqual(['QrisError', 'IMAGE_ENGINE_MISSING']);
      expect(r['decode']![2]).toContain('npm i jimp jsqr qrcode @jsquash/webp');
      expect(r['png']!.slice(0, 2)).toEqual(['QrisError', 'IMAGE_ENGINE_MISSING']);
      expect(r['png']![2]).toContain('"qrcode"');
      expect(r['svg']![1]).toBe('IMAGE_ENGINE_MISSING');
    }
  });

  it('the CLI on an image input says IMAGE_ENGINE_MISSING and the npm i to run (exit 1, no stack trace)', () => {
    const main = join(proj, 'node_modules', 'qris-codec', 'dist', 'esm', 'cli', 'main.js');
    const out = inProj([main, 'decode', join(ROOT, 'fixtures', 'images', 'clean-small.png')]);
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('IMAGE_ENGINE_MISSING');
    expect(out.stderr).toContain('npm i jimp jsqr qrcode @jsquash/webp');
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it('TypeScript without @types/node type-checks all four entries (nodenext, bundler and node10 resolution)', () => {
    writeFileSync(
      join(proj, 'use.ts'),
      `import { parse } from 'qris-codec';\nimport { decodeImage, toPng, type ImageInput } from 'qris-codec/image';\nimport { createBayarClient } from 'qris-codec/remote';\nimport { cpmInfo, type CpmInfo } from 'qris-codec/cpm';\n` +
        `export const a: number = parse('').nodes.length;\nexport const b: Promise<string> = decodeImage(new Uint8Array(1) as ImageInput).then((r) => r.payload);\nexport const c: Uint8Array = toPng('x');\nexport const d = typeof createBayarClient;\nexport const e: CpmInfo = cpmInfo(new Uint8Array(1));\n`,
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    for (const [module, resolution] of [
      ['nodenext', 'nodenext'],
      ['esnext', 'bundler'],
      ['commonjs', 'node10'],
    ] as const) {
      const cfg = {
        compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, types: [], target: 'es2022', module, moduleResolution: resolution, typeRoots: [] },
        files: ['use.ts'],
      };
      writeFileSync(join(proj, 'tsconfig.json'), JSON.stringify(cfg));
      const out = inProj([tsc, '-p', 'tsconfig.json']);
      expect(out.stdout + out.stderr, `${module}/${resolution}`).toBe('');
      expect(out.status).toBe(0);
    }
    expect(existsSync(join(proj, 'node_modules', '@types'))).toBe(false);
  }, 300_000);
});

function listAll(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f));
}

function duBytes(dir: string): number {
  let total = 0;
  for (const f of listAll(dir)) {
    const st = statSync(f);
    if (st.isFile()) total += st.size;
  }
  return total;
}

function listJs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listJs(p));
    else if (name.endsWith('.js') || name.endsWith('.mjs') || name.endsWith('.cjs')) out.push(p);
  }
  return out;
}
