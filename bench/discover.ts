/** Finds and loads the suites in bench/suites/ (one file per suite, `export default suite`). */
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Suite } from './harness.js';

const SUITES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'suites');

/** Suite names (file names without extension), sorted; only `wanted` ones if any are given. */
export function suiteNames(wanted: readonly string[] = []): string[] {
  const all = readdirSync(SUITES_DIR)
    .filter((f) => /\.(ts|mts|js|mjs)$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => basename(f).replace(/\.[^.]+$/, ''))
    .sort();
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length) throw new Error(`Unknown suite(s): ${unknown.join(', ')}. Available: ${all.join(', ')}.`);
  return wanted.length ? all.filter((n) => wanted.includes(n)) : all;
}

export async function loadSuite(name: string): Promise<Suite> {
  const file = readdirSync(SUITES_DIR).find((f) => f.replace(/\.[^.]+$/, '') === name && !f.endsWith('.d.ts'));
  if (!file) throw new Error(`No suite file for "${name}" in ${SUITES_DIR}.`);
  const mod = (await import(pathToFileURL(join(SUITES_DIR, file)).href)) as { default?: Suite };
  const suite = mod.default;
  if (!suite || typeof suite !== 'object' || typeof suite.cases !== 'object' || !Array.isArray(suite.bars)) {
    throw new Error(`bench/suites/${file} must \`export default\` a Suite ({ name, cases, bars, ... }).`);
  }
  return suite;
}
