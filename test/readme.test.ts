/**
 * The README is checked like code. Every ```ts block of README.md and README.id.md type-checks
 * against the BUILT package, imported by name as a user's project would (a temp project whose
 * node_modules/qris-codec links here), under `strict` and `exactOptionalPropertyTypes`: blocks that
 * touch the DOM or a worker (document, <img>, canvas, self, Worker) with the DOM lib, the `browser` condition and no
 * Node types; the others with Node's types and no DOM. The names a block uses without defining
 * (the functions of the section it sits in, `staticPayload`, ...) come from one prelude, below, so
 * a block may be short but may not use what does not exist. The figures the README prints (sizes)
 * are measured (scripts/readme-figures.ts) and must be within tolerance. Needs dist/.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFigures, measureFigures, ROOT } from '../scripts/readme-figures.js';

const run = promisify(execFile);
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const READMES = ['README.md', 'README.id.md'] as const;

export interface Block {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly code: string;
  readonly browser: boolean;
}

/** The ```ts / ```typescript blocks of a Markdown text. */
export function tsBlocks(file: string, text: string): Block[] {
  const out: Block[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    const code = body.join('\n');
    out.push({
      file,
      line: start + 1,
      code,
      browser: /\b(document|HTMLElement|HTML\w+Element|fileInput|canvas|img\.src|window|self|Worker|postMessage)\b/.test(code),
    });
  }
  return out;
}

/**
 * What a block may use without defining it: the public functions (as globals, so a block's own
 * import of the same name simply shadows them) and the sample values the prose talks about.
 */
const ENTRIES = [
  ['Core', 'qris-codec', '../src/index.js'],
  ['Image', 'qris-codec/image', '../src/image/index.js'],
  ['Remote', 'qris-codec/remote', '../src/remote/index.js'],
  ['Cpm', 'qris-codec/cpm', '../src/cpm/index.js'],
] as const;

/** Every value each entry exports, as `typeof Entry.name` globals (the first entry wins a shared name). */
async function exportedGlobals(browser: boolean): Promise<string> {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const [ns, , path] of ENTRIES) {
    // A browser app gets the browser build of qris-codec/image (the `browser` condition).
    const from = browser && ns === 'Image' ? '../src/image/browser.js' : path;
    for (const name of Object.keys((await import(from)) as Record<string, unknown>)) {
      if (seen.has(name)) continue;
      seen.add(name);
      lines.push(`  const ${name}: typeof ${ns}.${name};`);
    }
  }
  return lines.join('\n');
}

const PRELUDE = (browser: boolean, globals: string) => `
${ENTRIES.map(([ns, spec]) => `import type * as ${ns} from '${spec}';`).join('\n')}
declare global {
${globals}
  /** A merchant's printed (static) code, a converted (dynamic) one, and codes of other kinds and countries. */
  const staticPayload: string, dynamicPayload: string, payload: string, thaiPayload: string, promptPayPayload: string, sgqr: string,
    amountlessTransfer: string, text: string, code: string, scanned: string;
  const bytes: Uint8Array, png: Uint8Array, jpegBytes: Uint8Array, photoBytes: Uint8Array, amount: number, apiKey: string;
  /** The app's own way to show a warning. */
  function warnPayer(message: string): void;
  ${browser ? 'const img: HTMLImageElement, fileInput: HTMLInputElement, file: File, canvas: HTMLCanvasElement, ctx: CanvasRenderingContext2D, w: number, h: number;' : ''}
}
export {};
`;

const BASE_OPTIONS = {
  target: 'ES2022',
  strict: true,
  exactOptionalPropertyTypes: true,
  noEmit: true,
  skipLibCheck: true,
  // A README block may set a variable it does not read again (`const dynamic = ...` then prose).
  noUnusedLocals: false,
};

let proj: string;
let blocks: Block[];

beforeAll(() => {
  proj = mkdtempSync(join(tmpdir(), 'qris-readme-'));
  mkdirSync(join(proj, 'node_modules', '@types'), { recursive: true });
  symlinkSync(ROOT, join(proj, 'node_modules', 'qris-codec'), 'dir');
  symlinkSync(join(ROOT, 'node_modules', '@types', 'node'), join(proj, 'node_modules', '@types', 'node'), 'dir');
  writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'readme-blocks', private: true, type: 'module' }));
  blocks = READMES.flatMap((f) => {
    try {
      return tsBlocks(f, readFileSync(join(ROOT, f), 'utf8'));
    } catch {
      return []; // a README that does not exist (yet) has no blocks
    }
  });
});
afterAll(() => rmSync(proj, { recursive: true, force: true }));

/** Type-checks blocks in one project; the errors, each naming the README line it comes from. */
async function typeCheck(kind: 'node' | 'browser', chosen: readonly Block[]): Promise<string[]> {
  const dir = join(proj, kind);
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  writeFileSync(join(dir, 'prelude.ts'), PRELUDE(kind === 'browser', await exportedGlobals(kind === 'browser')));
  chosen.forEach((b, i) => {
    const name = `${b.file.replace(/\W/g, '_')}_L${b.line}_${i}.ts`;
    // A block is a module of its own (top-level await, its own imports); `export {}` makes it one.
    writeFileSync(join(dir, name), `${b.code}\nexport {};\n`);
    files.push(name);
  });
  const compilerOptions =
    kind === 'browser'
      ? { ...BASE_OPTIONS, module: 'ESNext', moduleResolution: 'Bundler', customConditions: ['browser'], lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [] }
      : { ...BASE_OPTIONS, module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022'], types: ['node'] };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['prelude.ts', ...files] }));
  try {
    await run(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], { cwd: dir, timeout: 120_000 });
    return [];
  } catch (e) {
    const out = String((e as { stdout?: string }).stdout ?? e);
    // `README_md_L71_3.ts(2,5): error ...` -> `README.md:72: error ...` (the block's line in the README).
    return out
      .split('\n')
      .filter((l) => l.includes('error'))
      .map((l) => {
        const m = /^(\w+?)_md_L(\d+)_\d+\.ts\((\d+),\d+\): (.*)$/.exec(l);
        return m ? `${m[1]!.replace(/_/g, '.')}.md:${Number(m[2]) + Number(m[3])}: ${m[4]}` : l;
      });
  }
}

describe('README TypeScript blocks type-check against the built package (strict, exactOptionalPropertyTypes)', () => {
  it('there are blocks, and some of them are for the browser', () => {
    expect(blocks.filter((b) => b.file === 'README.md').length).toBeGreaterThan(10);
    expect(blocks.some((b) => b.browser)).toBe(true);
  });

  it('Node blocks (Node types, no DOM)', async () => {
    expect(
      await typeCheck(
        'node',
        blocks.filter((b) => !b.browser),
      ),
    ).toEqual([]);
  }, 180_000);

  it('browser blocks (DOM lib, the browser condition, no Node types)', async () => {
    expect(
      await typeCheck(
        'browser',
        blocks.filter((b) => b.browser),
      ),
    ).toEqual([]);
  }, 180_000);
});

describe('the quick start shows the demo code and its real conversion', () => {
  const STATIC = readFileSync(join(ROOT, 'fixtures', 'demo', 'static-qris.txt'), 'utf8').trim();
  it.each(READMES)('%s', async (file) => {
    const { toDynamic } = await import('../src/index.js');
    const text = readFileSync(join(ROOT, file), 'utf8');
    const start = text.indexOf(STATIC);
    expect(start, 'the complete static payload of fixtures/demo/static-qris.txt').toBeGreaterThan(0);
    // The result shown is the real one, and comes right after the payload (in the quick start).
    const shown = text.indexOf(toDynamic(STATIC, { amount: 25000 }), start);
    expect(shown).toBeGreaterThan(start);
    expect(text.slice(start, shown).split('\n').length).toBeLessThan(12);
    expect(blocks.filter((b) => b.file === file).length).toBeGreaterThanOrEqual(3);
  });
});

describe('README.md starts where a user starts', () => {
  it('the quick start comes first, then the contents, which list every section', () => {
    const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const headings = [...text.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
    expect(headings.slice(0, 3)).toEqual(['Quick start', 'Contents', 'Recipes']);
    const contents = text.slice(text.indexOf('## Contents'), text.indexOf('## Recipes'));
    for (const h of headings.filter((x) => x !== 'Contents')) expect(contents, `## ${h} is missing from the contents`).toContain(`- [${h}](#`);
  });
});

describe('README figures are measured (npm run readme:figures rewrites them)', () => {
  it('every size printed in README.md is within tolerance of the measurement', async () => {
    const measured = await measureFigures();
    const checks = checkFigures(readFileSync(join(ROOT, 'README.md'), 'utf8'), measured);
    expect(checks.filter((c) => c.printed !== undefined).length).toBeGreaterThanOrEqual(6);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
  }, 120_000);
});
