// The tarball's package.json without the prepare script (prepack: strip, postpack: restore).
// prepare builds dist/ wherever npm installs this repository itself: `npm install` or `npm ci` in
// a clone, and a git dependency (`npm i git+...`), which npm builds only through prepare. A tarball
// (`npm pack`, `npm publish`) already holds dist/ and not the build scripts, yet npm 11 lists a
// prepare script in a tarball among the install scripts to review (`--strict-allow-scripts`
// refuses the install), though it never runs there. So the packed copy goes without it.
// Not under `npm publish`: it sends the registry the package.json it re-reads after postpack, and
// the registry's manifest and tarball should agree. Registry installs never count prepare anyway.
// The original bytes wait in node_modules/.cache (never packed); a strip that finds them left
// over by a pack that died before postpack restores them first.
// Usage: node scripts/pack-manifest.mjs strip|restore
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const manifest = new URL('package.json', root);
const saved = new URL('node_modules/.cache/qris-codec/package.json.unpacked', root);

const mode = process.argv[2];
if (mode !== 'strip' && mode !== 'restore') {
  console.error('usage: node scripts/pack-manifest.mjs strip|restore');
  process.exit(2);
}
if (existsSync(saved)) renameSync(saved, manifest); // restore, or undo a strip left over by a failed pack
if (mode === 'strip' && process.env.npm_command !== 'publish') {
  const original = readFileSync(manifest, 'utf8');
  const pkg = JSON.parse(original);
  delete pkg.scripts.prepare;
  mkdirSync(new URL('.', saved), { recursive: true });
  writeFileSync(saved, original);
  writeFileSync(manifest, JSON.stringify(pkg, null, 2) + '\n');
}
