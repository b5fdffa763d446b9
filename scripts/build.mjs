// Builds dist/esm (ESM) and dist/cjs (CommonJS) with tsc, then marks dist/cjs as CommonJS so
// Node and TypeScript read its .js and .d.ts files as CJS despite the package's "type": "module".
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const tsc = new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname;
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.cjs.json'], { stdio: 'inherit' });
writeFileSync(new URL('../dist/cjs/package.json', import.meta.url), '{ "type": "commonjs" }\n');
const bin = new URL('../dist/esm/cli/main.js', import.meta.url);
if (existsSync(bin)) chmodSync(bin, 0o755);
// The cashier page (src/pos -> dist/pos), after tsc: the clean above removed dist/ entirely.
execFileSync(process.execPath, [fileURLToPath(new URL('build-pos.mjs', import.meta.url))], { stdio: 'inherit' });
