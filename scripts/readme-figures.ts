/**
 * The figures the README prints (package size, bundle sizes, PNG sizes), measured rather than
 * remembered. `npm run readme:figures` measures them against the built dist/ and rewrites each one in
 * README.md; test/readme.test.ts measures them again and fails when a printed figure is more than its
 * tolerance away from the measurement (the message gives the measured value).
 *
 * Each figure is found by the words around it (a pattern with one number in it), so the sentences
 * can move and be reworded freely as long as those words stay. KB are 1024 bytes, gzip level 9,
 * esbuild minified for the browser (as test/bundle.test.ts bundles).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export type FigureName = 'unpackedMB' | 'coreKB' | 'toDynamicKB' | 'renderKB' | 'decodeKB' | 'imageAllKB' | 'convertPngBytes' | 'encodePngBytes';

export interface Figure {
  readonly name: FigureName;
  /** The figure in the README: the number is the first capture group. */
  readonly pattern: RegExp;
  /** How the measured value is written there. */
  readonly write: (measured: number) => string;
  /** Largest accepted relative difference between printed and measured. */
  readonly tolerance: number;
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

export const FIGURES: readonly Figure[] = [
  { name: 'unpackedMB', pattern: /about\s+([\d.]+)\s+MB\s+unpacked/, write: (b) => (b / 1e6).toFixed(1), tolerance: 0.1 },
  { name: 'coreKB', pattern: /the\s+whole\s+core\s+([\d.]+)\s+KB/, write: kb, tolerance: 0.1 },
  { name: 'toDynamicKB', pattern: /`toDynamic`\s+alone\s+([\d.]+)\s+KB/, write: kb, tolerance: 0.1 },
  { name: 'renderKB', pattern: /`toSvg`\/`toPng`\/`toDataUrl`\s+([\d.]+)\s+KB/, write: kb, tolerance: 0.1 },
  { name: 'decodeKB', pattern: /`decodeImage`\s+([\d.]+)\s+KB/, write: kb, tolerance: 0.1 },
  { name: 'imageAllKB', pattern: /the\s+whole\s+image\s+entry\s+plus\s+`toDynamic`\s+([\d.]+)\s+KB/, write: kb, tolerance: 0.1 },
  { name: 'convertPngBytes', pattern: /PNG {7}pay\.png \((\d+) bytes\)/, write: String, tolerance: 0.05 },
  { name: 'encodePngBytes', pattern: /wrote\s+pay\.png\s+\(png,\s+(\d+)\s+bytes\)/, write: String, tolerance: 0.05 },
];

/** Bundles of the package by name, as an app's bundler makes them. */
const APPS: Readonly<Record<'coreKB' | 'toDynamicKB' | 'renderKB' | 'decodeKB' | 'imageAllKB', string>> = {
  coreKB: `import * as core from 'qris-codec'; globalThis.x = core;`,
  toDynamicKB: `import { toDynamic } from 'qris-codec'; globalThis.x = toDynamic;`,
  renderKB: `import { toPng, toSvg, toDataUrl } from 'qris-codec/image'; globalThis.x = [toPng, toSvg, toDataUrl];`,
  decodeKB: `import { decodeImage } from 'qris-codec/image'; globalThis.x = decodeImage;`,
  imageAllKB: `import { toDynamic } from 'qris-codec'; import * as image from 'qris-codec/image'; globalThis.x = [toDynamic, image];`,
};

async function gzippedBundle(source: string): Promise<number> {
  const r = await build({
    stdin: { contents: source, resolveDir: ROOT, loader: 'ts', sourcefile: 'app.ts' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    minify: true,
    logLevel: 'silent',
  });
  return gzipSync(r.outputFiles[0]!.text, { level: 9 }).length;
}

/** The bytes of the PNG a CLI command writes (the built `qris`), for the demo's static code. */
function cliPngBytes(args: readonly string[]): number {
  const dir = mkdtempSync(join(tmpdir(), 'qris-figures-'));
  try {
    const payload = readFileSync(join(ROOT, 'fixtures', 'demo', 'static-qris.txt'), 'utf8').trim();
    const out = join(dir, 'pay.png');
    execFileSync(process.execPath, [join(ROOT, 'dist', 'esm', 'cli', 'main.js'), ...args.map((a) => (a === '$PAYLOAD' ? payload : a === '$OUT' ? out : a))], {
      cwd: dir,
      stdio: 'pipe',
    });
    return statSync(out).size;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every figure, measured now (dist/ must be built). */
export async function measureFigures(): Promise<Record<FigureName, number>> {
  const pack = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
  ) as {
    unpackedSize: number;
  }[];
  const out: Partial<Record<FigureName, number>> = { unpackedMB: pack[0]!.unpackedSize };
  for (const [name, source] of Object.entries(APPS) as [keyof typeof APPS, string][]) out[name] = await gzippedBundle(source);
  out.convertPngBytes = cliPngBytes(['convert', '$PAYLOAD', '--amount', '25000', '--png', '$OUT']);
  out.encodePngBytes = cliPngBytes(['encode', '$PAYLOAD', '-o', '$OUT']);
  return out as Record<FigureName, number>;
}

export interface FigureCheck {
  readonly name: FigureName;
  /** What the README says, or undefined when the figure is not in it. */
  readonly printed: number | undefined;
  /** The measurement, written as the README writes it. */
  readonly measured: number;
  readonly ok: boolean;
}

/** Compares the figures in `text` with the measurements (a figure absent from the text is not checked). */
export function checkFigures(text: string, measured: Record<FigureName, number>): FigureCheck[] {
  return FIGURES.map((f) => {
    const m = f.pattern.exec(text);
    const written = Number(f.write(measured[f.name]));
    if (!m) return { name: f.name, printed: undefined, measured: written, ok: true };
    const printed = Number(m[1]);
    return { name: f.name, printed, measured: written, ok: Math.abs(printed - written) <= f.tolerance * written };
  });
}

/** `text` with every figure it holds replaced by its measurement. */
export function rewriteFigures(text: string, measured: Record<FigureName, number>): string {
  let out = text;
  for (const f of FIGURES) {
    out = out.replace(new RegExp(f.pattern.source, 'g'), (whole, old: string) => whole.replace(old, f.write(measured[f.name])));
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const measured = await measureFigures();
  const file = join(ROOT, 'README.md');
  const before = readFileSync(file, 'utf8');
  const after = rewriteFigures(before, measured);
  for (const c of checkFigures(before, measured)) console.log(`${c.name}: ${c.printed ?? '(not in README.md)'} -> ${c.measured}`);
  if (after !== before) writeFileSync(file, after);
  console.log(after === before ? 'README.md: figures already current' : 'README.md: figures rewritten');
}
