// Builds dist/esm (ESM) and dist/cjs (CommonJS) with tsc, then marks dist/cjs as CommonJS so
// Node and TypeScript read its .js and .d.ts files as CJS despite the package's "type": "module".
//
// Usage: node scripts/build.mjs [--if-changed]
// `npm run build` always builds. The prepare script passes --if-changed: npm runs prepare after
// every `npm install` and `npm ci` in a clone, and twice when it installs this repository as a git
// dependency (once inside its `npm install` of the temporary clone, once before packing it), so a
// build whose inputs (src/, the build scripts and configs, package.json, the lockfile) hash the same
// as the last complete build, with its outputs in place, is skipped. The hash lives in
// node_modules/.cache, which `npm ci` wipes: CI always builds.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const at = (p) => new URL(p, root);
const INPUTS = [
  'src',
  'scripts/build.mjs',
  'scripts/build-pos.mjs',
  'tsconfig.json',
  'tsconfig.build.json',
  'tsconfig.cjs.json',
  'package.json',
  'package-lock.json',
];
const OUTPUTS = ['dist/esm/index.js', 'dist/esm/cli/main.js', 'dist/cjs/index.js', 'dist/cjs/package.json', 'dist/pos/index.html'];
const STAMP = at('node_modules/.cache/qris-codec/build-inputs.sha256');

const inputsHash = inputHash();
if (process.argv.includes('--if-changed') && readStamp() === inputsHash && OUTPUTS.every((p) => existsSync(at(p)))) {
  console.log('build: dist/ is up to date with src/ (npm run build rebuilds anyway)');
  process.exit(0);
}

rmSync(STAMP, { force: true }); // an interrupted build must not count as complete
const tsc = fileURLToPath(at('node_modules/typescript/bin/tsc'));
rmSync(at('dist'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit', cwd: fileURLToPath(root) });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.cjs.json'], { stdio: 'inherit', cwd: fileURLToPath(root) });
writeFileSync(at('dist/cjs/package.json'), '{ "type": "commonjs" }\n');
const bin = at('dist/esm/cli/main.js');
if (existsSync(bin)) chmodSync(bin, 0o755);
// The cashier page (src/pos -> dist/pos), after tsc: the clean above removed dist/ entirely.
execFileSync(process.execPath, [fileURLToPath(at('scripts/build-pos.mjs'))], { stdio: 'inherit' });
mkdirSync(new URL('.', STAMP), { recursive: true });
writeFileSync(STAMP, inputsHash + '\n');

function readStamp() {
  try {
    return readFileSync(STAMP, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** SHA-256 over the relative path and bytes of every input file, in a fixed order. */
function inputHash() {
  const hash = createHash('sha256');
  const files = INPUTS.flatMap((p) => {
    if (!existsSync(at(p))) return [];
    if (!statSync(at(p)).isDirectory()) return [p];
    return readdirSync(at(p), { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => relPath(d));
  });
  for (const f of files.sort())
    hash
      .update(`${f}\0`)
      .update(readFileSync(at(f)))
      .update('\0');
  return hash.digest('hex');
}

function relPath(dirent) {
  const abs = `${dirent.parentPath ?? dirent.path}/${dirent.name}`;
  return abs.slice(fileURLToPath(root).length).replaceAll('\\', '/');
}
