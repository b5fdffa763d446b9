// npm run build:pos: bundles the cashier page (src/pos) into ONE self-contained HTML file (script
// and styles inline, a CSP with the script's hash) plus its service worker, in dist/pos/.
// `qris serve` serves that folder at /, and `qris pos --out DIR` copies it for a static host.
// Usage: node scripts/build-pos.mjs [--out DIR] (default dist/pos)
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, transform } from 'esbuild';

const root = new URL('../', import.meta.url);
const src = (f) => readFileSync(new URL(`src/pos/${f}`, root), 'utf8');
const outArg = process.argv.indexOf('--out');
const outDir = outArg > 0 && process.argv[outArg + 1] ? pathToFileURL(resolve(process.argv[outArg + 1]) + '/') : new URL('dist/pos/', root);

const bundle = await build({
  entryPoints: [fileURLToPath(new URL('src/pos/main.ts', root))],
  bundle: true,
  write: false,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
});
// Inline in <script>: "</script" inside a string literal would end the element early.
const script = bundle.outputFiles[0].text.replace(/<\/(script)/gi, '<\\/$1').trim();
const css = (await transform(src('style.css'), { loader: 'css', minify: true })).code.trim();
const hash = `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
// Function replacers: '$' sequences in the bundle must not be read as replacement patterns.
const html = src('index.html')
  .replace('__SCRIPT_HASH__', () => hash)
  .replace('__STYLE__', () => css)
  .replace('__SCRIPT__', () => script);
const version = createHash('sha256').update(html).digest('hex').slice(0, 16);
const sw = src('sw.js').replace('__VERSION__', version);

mkdirSync(outDir, { recursive: true });
writeFileSync(new URL('index.html', outDir), html);
writeFileSync(new URL('sw.js', outDir), sw);
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(
  `pos: ${fileURLToPath(new URL('index.html', outDir))} ${kb(html.length)} (${kb(gzipSync(html, { level: 9 }).length)} gzipped), sw.js ${kb(sw.length)}`,
);
