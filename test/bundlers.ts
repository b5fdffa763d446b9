/**
 * Bundles code that imports the package BY NAME ('qris-codec', 'qris-codec/image') for a browser
 * with esbuild and no configuration beyond `platform: 'browser'` (which turns on the `browser`
 * export condition), the way an app's bundler would. Resolves the built dist/ through the package's
 * own `exports` (a self-reference), so dist/ must be built (`npm test` builds it first).
 */
import { build } from 'esbuild';
import type { Stats } from 'webpack';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Bundle {
  readonly code: string;
  readonly gzipBytes: number;
  readonly warnings: readonly string[];
  readonly inputs: readonly string[];
}

export async function bundle(source: string, options: { minify?: boolean; conditions?: string[]; platform?: 'browser' | 'neutral' } = {}): Promise<Bundle> {
  const r = await build({
    stdin: { contents: source, resolveDir: ROOT, loader: 'ts', sourcefile: 'app.ts' },
    bundle: true,
    platform: options.platform ?? 'browser',
    ...(options.conditions ? { conditions: options.conditions } : {}),
    format: 'esm',
    target: 'es2022',
    write: false,
    minify: options.minify ?? true,
    metafile: true,
    logLevel: 'silent',
  });
  const code = r.outputFiles[0]!.text;
  return {
    code,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    warnings: r.warnings.map((w) => w.text),
    inputs: Object.keys(r.metafile.inputs),
  };
}

/**
 * Bundles `entry` (a file) with Vite or webpack, default settings (webpack: entry and output only;
 * target 'web' is its default), from a temp project whose node_modules/qris-codec links to this
 * repository, as an installed package would be found. Returns the entry chunk's code.
 */
export async function bundleWith(tool: 'vite' | 'webpack', entry: string): Promise<{ code: string; warnings: string[] }> {
  const proj = mkdtempSync(join(tmpdir(), `qris-${tool}-`));
  try {
    mkdirSync(join(proj, 'node_modules'));
    symlinkSync(ROOT, join(proj, 'node_modules', 'qris-codec'), 'dir');
    if (tool === 'vite') {
      const { build: viteBuild } = await import('vite');
      const warnings: string[] = [];
      const out = await viteBuild({
        root: proj,
        configFile: false,
        logLevel: 'silent',
        customLogger: {
          info() {},
          warn: (m: string) => warnings.push(m),
          warnOnce: (m: string) => warnings.push(m),
          error: (m: string) => warnings.push(m),
          clearScreen() {},
          hasErrorLogged: () => false,
          hasWarned: false,
        },
        build: { write: false, rollupOptions: { input: entry } },
      });
      const outputs = (Array.isArray(out) ? out : [out]) as { output: { type: string; isEntry?: boolean; code?: string }[] }[];
      const chunk = outputs.flatMap((o) => o.output).find((c) => c.type === 'chunk' && c.isEntry);
      return { code: chunk!.code!, warnings };
    }
    const { default: webpack } = await import('webpack');
    const stats = await new Promise<Stats>((resolve, reject) =>
      webpack({ mode: 'production', context: proj, entry, output: { path: join(proj, 'out'), filename: 'app.js' } }, (err, st) =>
        err || !st ? reject(err ?? new Error('webpack returned no stats')) : resolve(st),
      ),
    );
    const info = stats.toJson({ all: false, errors: true, warnings: true });
    if (stats.hasErrors()) throw new Error(info.errors!.map((e) => e.message).join('\n'));
    return { code: readFileSync(join(proj, 'out', 'app.js'), 'utf8'), warnings: (info.warnings ?? []).map((w) => w.message) };
  } finally {
    rmSync(proj, { recursive: true, force: true });
  }
}
