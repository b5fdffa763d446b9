/**
 * Where the CLI's files are at run time. The CLI runs from dist/esm, where `import.meta.url` says
 * it (kept in meta.ts, loaded only there); the CommonJS build of this file uses `__dirname`, so it
 * compiles and never loads meta.ts.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The directory holding the compiled CLI (dist/esm/cli). */
export async function cliDir(): Promise<string> {
  if (typeof __dirname === 'string') return __dirname;
  return (await import('./meta.js')).CLI_DIR;
}

/** The package version from package.json (dist/<format>/cli -> ../../../package.json). */
export async function packageVersion(): Promise<string> {
  try {
    const pkg = JSON.parse(await readFile(join(await cliDir(), '..', '..', '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
