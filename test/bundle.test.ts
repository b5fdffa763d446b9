/**
 * The browser build bundles with esbuild and no configuration: `platform: 'browser'` only, which
 * is what selects the `browser` export condition. Bundled by package name from the built dist/.
 * Sizes are printed (gzipped), and the bundles must hold no Node built-in and no Buffer. Vite and
 * webpack are in browser.test.ts, which also runs their bundles in Chromium.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundle, ROOT } from './bundlers.js';

const BUILT = existsSync(join(ROOT, 'dist', 'esm', 'image', 'browser.js'));

const APPS: Record<string, string> = {
  core: `import { parse, toDynamic } from 'qris-codec'; globalThis.x = [parse, toDynamic];`,
  toSvg: `import { toSvg } from 'qris-codec/image'; globalThis.x = toSvg;`,
  render: `import { toPng, toSvg, toDataUrl } from 'qris-codec/image'; globalThis.x = [toPng, toSvg, toDataUrl];`,
  decode: `import { decodeImage } from 'qris-codec/image'; globalThis.x = decodeImage;`,
  all: `import { toDynamic } from 'qris-codec'; import * as image from 'qris-codec/image'; globalThis.x = [toDynamic, image];`,
  // Its local path imports the image module: package.json's "browser" map sends that to the browser build.
  remote: `import { convertWithFallback, createBayarClient } from 'qris-codec/remote'; globalThis.x = [convertWithFallback, createBayarClient];`,
  // The consumer-presented entry on its own: zero dependencies, no Node built-in.
  cpm: `import { parseCpm, validateCpm, cpmInfo, buildCpm } from 'qris-codec/cpm'; globalThis.x = [parseCpm, validateCpm, cpmInfo, buildCpm];`,
};

describe.skipIf(!BUILT)(BUILT ? 'esbuild, platform browser, no configuration' : 'esbuild: SKIPPED, dist/ not built (npm run build)', () => {
  for (const [name, source] of Object.entries(APPS)) {
    it(`bundles ${name} with no warning, no node: import, no Buffer, no process`, async () => {
      const b = await bundle(source);
      console.log(`bundle ${name}: ${b.code.length} bytes minified, ${b.gzipBytes} gzipped`);
      expect(b.warnings).toEqual([]);
      expect(b.code).not.toMatch(/["']node:|\bBuffer\b|\bprocess\.env\b|createRequire/);
      for (const input of b.inputs) expect(input, input).not.toMatch(/dist\/(cjs|esm\/image\/(engines|pixels|png-read|decode|render-node|index))\.js$/);
      if (name === 'core' || name === 'cpm') expect(b.inputs.filter((i) => i.includes('node_modules'))).toEqual([]);
      // The core never pulls in the CPM codec, and the CPM entry none of the MPM codec or rules.
      if (name === 'core') expect(b.inputs.filter((i) => i.includes('/cpm/'))).toEqual([]);
      if (name === 'cpm') expect(b.inputs.filter((i) => /\/(codec|image|remote)\/|qris\/(rules|validate|info)\.js$/.test(i))).toEqual([]);
    });
  }

  it('the same source for Node (no browser condition) resolves the Node build instead', async () => {
    const b = await bundle(APPS['decode']!, { platform: 'neutral', conditions: ['import'], minify: false }).catch((e: Error) => e);
    // Neutral platform has no Node built-ins: the Node build (node:fs, node:module) cannot bundle.
    expect(b).toBeInstanceOf(Error);
    expect(String((b as Error).message)).toMatch(/node:(fs|module|path|url|zlib)/);
  });

  it('TypeScript with customConditions ["browser"] and no @types/node type-checks the browser page (Blob, ImageData, canvases as decodeImage input)', () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const out = execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'test', 'browser', 'tsconfig.json')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(out).toBe('');
  }, 120_000);
});
