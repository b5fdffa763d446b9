/**
 * Bundles code that imports the package BY NAME ('qris-codec', 'qris-codec/image') for a browser
 * with esbuild and no configuration beyond `platform: 'browser'` (which turns on the `browser`
 * export condition), the way an app's bundler would. Resolves the built dist/ through the package's
 * own `exports` (a self-reference), so dist/ must be built (`npm test` builds it first).
 */
import { build, type Metafile } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

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
    inputs: Object.keys((r.metafile as Metafile).inputs),
  };
}
