/**
 * Smoke tests under Deno and Bun, whose binaries come from npm (devDependencies `deno` and `bun`:
 * platform packages, no download from another host). Each runs the BUILT package in a fresh
 * process: the core, the image entry's renderers and a PNG decoded back. A runtime whose binary is
 * not installed (another platform, `--omit=dev`) is skipped with the reason in the test name.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import corpus from '../fixtures/dev-payloads.json' with { type: 'json' };
import { toDynamic } from '../src/index.js';
import { decodeImage, toPng, toSvg } from '../src/image/index.js';
import { ROOT } from './bundlers.js';

const PAYLOAD = corpus.find((e) => e.payload.endsWith('630458C7'))!.payload;
const BUILT = existsSync(join(ROOT, 'dist', 'esm', 'image', 'index.js'));
const tmp = mkdtempSync(join(tmpdir(), 'qris-runtimes-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SCRIPT = `
import { parse, toDynamic, crc16Hex } from ${JSON.stringify(join(ROOT, 'dist/esm/index.js'))};
import { decodeImage, toPng, toSvg } from ${JSON.stringify(join(ROOT, 'dist/esm/image/index.js'))};
const payload = ${JSON.stringify(PAYLOAD)};
const dyn = toDynamic(payload, { amount: 12500 });
const png = toPng(dyn, { scale: 4 });
const back = await decodeImage(png);
let hex = '';
for (const b of png) hex += b.toString(16).padStart(2, '0');
console.log(JSON.stringify({ ids: parse(payload).nodes.length, crc: crc16Hex('123456789'), dyn, pngHex: hex, svgLength: toSvg(dyn).length, back: back.payload }));
`;

function binary(path: string): string | null {
  const p = join(ROOT, 'node_modules', ...path.split('/'));
  return existsSync(p) ? p : null;
}

const RUNTIMES: [string, string | null, (file: string) => string[]][] = [
  ['Deno', binary('@deno/linux-x64-glibc/deno'), (f) => ['run', '--quiet', '--no-prompt', '--node-modules-dir=manual', '--allow-read', '--allow-env', f]],
  ['Bun', binary('@oven/bun-linux-x64/bin/bun') ?? binary('bun/bin/bun.exe'), (f) => [f]],
];

for (const [name, bin, args] of RUNTIMES) {
  const why = !BUILT ? 'dist/ not built' : !bin ? `no ${name} binary in node_modules (this platform, or dev dependencies omitted)` : '';
  describe.skipIf(why !== '')(why ? `${name}: SKIPPED, ${why}` : name, () => {
    it(`runs the built core and image entry: toDynamic -> toPng -> decodeImage, the same bytes as Node`, async () => {
      const file = join(tmp, `${name.toLowerCase()}.mjs`);
      writeFileSync(file, SCRIPT);
      const out = execFileSync(bin!, args(file), {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
      });
      const r = JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
      const dyn = toDynamic(PAYLOAD, { amount: 12500 });
      expect(r).toEqual({
        ids: 11,
        crc: '29B1',
        dyn,
        pngHex: Buffer.from(toPng(dyn, { scale: 4 })).toString('hex'),
        svgLength: toSvg(dyn).length,
        back: (await decodeImage(toPng(dyn, { scale: 4 }))).payload,
      });
    }, 90_000);
  });
}
