// npm run demo: the main job on the bundled fixture, from the built package in dist/ (`npm install`
// and `npm ci` build it through the prepare script; `npm run build` rebuilds it).
// A merchant's printed static QRIS becomes a per-sale dynamic QRIS, fully offline:
// parse it (tree + CRC verdict), show what it says, convert it for an amount, check the result,
// render it as a PNG and read the PNG back as proof. The same conversion also runs from a photo.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';

const root = new URL('../', import.meta.url);
if (!existsSync(new URL('dist/esm/index.js', root))) {
  console.error(
    'dist/ is missing: run `npm run build` first. (`npm install` builds it through the prepare script, unless scripts are ignored: --ignore-scripts or ignore-scripts=true in an .npmrc.)',
  );
  process.exit(1);
}
const { parse, info, validate, toDynamic } = await import(new URL('dist/esm/index.js', root).href);

const AMOUNT = 25000;
const fixture = new URL('fixtures/demo/static-qris.txt', root);
const rel = (url) => relative(process.cwd(), fileURLToPath(url)) || '.';
const staticPayload = readFileSync(fixture, 'utf8').trim();

heading(`1. Parse the static QRIS in ${rel(fixture)}`);
const parsed = parse(staticPayload);
printTree(parsed.nodes, '   ');
console.log(`   CRC ${parsed.crc.declared}: ${parsed.crc.valid ? 'valid' : `INVALID (computed ${parsed.crc.computed})`}`);

heading('2. What it says');
printInfo(info(parsed));

heading(`3. Convert to a dynamic QRIS for Rp ${AMOUNT.toLocaleString('id-ID')}`);
const dynamicPayload = toDynamic(staticPayload, { amount: AMOUNT });
console.log(`   ${dynamicPayload}`);
const check = validate(dynamicPayload);
console.log(
  `   validate: ${check.valid ? 'valid' : 'INVALID'}${check.issues.length ? ` (${check.issues.map((i) => `${i.severity} ${i.code}`).join(', ')})` : ', no issues'}`,
);
printInfo(info(dynamicPayload));

let image;
try {
  image = await import(new URL('dist/esm/image/index.js', root).href);
} catch (e) {
  console.log(`\n(image adapters unavailable: ${e.message})`);
}
if (image) {
  const photo = new URL('fixtures/demo/static-qris-photo.jpg', root);
  if (existsSync(photo)) {
    heading(`4. The same conversion from a photo of the printed code (${rel(photo)})`);
    const found = await image.decodeImage(readFileSync(photo));
    console.log(
      `   decoded ${found.format} ${found.width}x${found.height} with ${found.engine ?? 'the default engine'}: ${found.payload === staticPayload ? 'same payload as the text fixture' : 'DIFFERENT payload'}`,
    );
    const fromPhoto = toDynamic(found.payload, { amount: AMOUNT });
    console.log(`   converted: ${fromPhoto === dynamicPayload ? 'identical to step 3' : 'DIFFERENT from step 3'}`);
    if (found.payload !== staticPayload || fromPhoto !== dynamicPayload) process.exitCode = 1;
  }

  heading('5. Render the dynamic QRIS and read it back');
  const outDir = new URL('out/', root);
  mkdirSync(outDir, { recursive: true });
  const pngFile = new URL('dynamic-qris.png', outDir);
  const png = await image.toPng(dynamicPayload);
  writeFileSync(pngFile, png);
  const back = await image.decodeImage(readFileSync(pngFile));
  const same = back.payload === dynamicPayload;
  console.log(`   wrote ${rel(pngFile)} (${png.length} bytes, ${back.width}x${back.height} px)`);
  console.log(`   decoded it back: ${same ? 'identical payload, CRC ' + info(back.payload).crc.declared + ' valid' : 'MISMATCH'}`);
  if (!same) process.exitCode = 1;
  console.log(`\nDone. The dynamic QRIS for Rp ${AMOUNT.toLocaleString('id-ID')} is in ${fileURLToPath(pngFile)}`);
}

function heading(text) {
  console.log(`\n${text}`);
}

function printTree(nodes, indent) {
  for (const n of nodes) {
    const value = n.children ? '' : ` ${n.value}`;
    console.log(`${indent}${n.id} (${String(n.length).padStart(2, '0')})${value}`);
    if (n.children) printTree(n.children, indent + '   ');
  }
}

function printInfo(i) {
  const rows = [
    ['Merchant', i.merchantName],
    ['City', [i.merchantCity, i.postalCode].filter(Boolean).join(' ')],
    ['Country / currency', `${i.countryCode} / ${i.currency?.code ?? i.currency?.numeric}`],
    ['MCC', i.mcc],
    ['Type', i.isDynamic ? 'dynamic (01 = 12)' : 'static (01 = 11)'],
    ['Amount', i.amount ? i.amount.text : '(payer enters it)'],
    ['NMID', i.nmid],
    ...i.accounts.map((a) => [`Account ${a.tag}`, `${a.acquirer ?? 'unknown acquirer'} · ${a.guid} · PAN ${a.pan}`]),
    ['CRC', `${i.crc.declared} ${i.crc.valid ? 'valid' : 'INVALID'}`],
  ];
  for (const [k, v] of rows) if (v !== undefined && v !== '') console.log(`   ${k.padEnd(19)} ${v}`);
}
