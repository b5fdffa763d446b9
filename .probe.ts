import { readFileSync } from 'node:fs';
import { loadJsQr, loadSharp, loadZxing } from './src/image/engines.ts';
import { jsqrDetector, zxingDetector, type Detector } from './src/image/detect.ts';
import { sharpSource } from './src/image/pixels.ts';
import { sniff } from './src/image/sniff.ts';
import { locate } from './src/image/strategy.ts';
const bytes = new Uint8Array(readFileSync(process.argv[2]!));
const h = sniff(bytes);
const src = await sharpSource((await loadSharp())!, bytes, h, 5e7);
const wrap = (d: Detector): Detector => ({ name: d.name, async read(g, hard) { const t = performance.now(); const r = await d.read(g, hard); console.log(d.name, g.width, g.height, hard, Math.round(performance.now() - t), 'ms'); return r; } });
const t = performance.now();
try { await locate(src, [wrap(zxingDetector((await loadZxing())!)), wrap(jsqrDetector(await loadJsQr()))], { deadline: performance.now() + 60000, ms: 60000 }); } catch (e) { console.log(String(e)); }
console.log('total', Math.round(performance.now() - t));
