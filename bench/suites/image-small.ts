/**
 * The 300 px PNG (a rendered QR, the POS case) with the default engine (own PNG reader + jsQR), in a
 * process of its own: after the image suite's 12 MP decodes, the first small case of a round paid
 * about 2x (measured by swapping two cases' order), which no neighbour-free comparison shows.
 * - default (every code in the picture, issue 17) against the naive pipeline (jimp decodes at full
 *   size, jsQR scans every pixel): bar >= 1.4x;
 * - default against the single-code read of earlier versions (stops at the first symbol): every
 *   code costs at most 1.3x (ratio >= 1 / 1.3).
 * Everything runs on the calling thread, as the naive pipeline does.
 */
import { readFileSync } from 'node:fs';
import { decodeSymbols } from '../../src/image/decode.js';
import { loadJsQr, type JsQr } from '../../src/image/engines.js';
import { decodeImage, toPng } from '../../src/image/index.js';
import { naiveImageRead } from '../baselines.js';
import type { Suite } from '../harness.js';

const PAYLOAD = readFileSync(new URL('../../fixtures/demo/static-qris.txt', import.meta.url), 'utf8').trim();

let png300: Uint8Array = new Uint8Array(0);
let jsQR: JsQr;

const naive = (bytes: Uint8Array) => naiveImageRead(jsQR, bytes);

const every = (b: Uint8Array) => decodeImage(b, { engine: 'jimp', thread: 'caller' }).then((r) => r.payload);
const firstOnly = (b: Uint8Array) => decodeSymbols(b, { engine: 'jimp', thread: 'caller' }, 1).then((r) => (r as { payload: string }).payload);

const suite: Suite = {
  name: 'image-small',
  async setup() {
    jsQR = await loadJsQr();
    png300 = toPng(PAYLOAD, { size: 300 });
    for (const [name, f] of [
      ['default', every],
      ['first code only', firstOnly],
      ['naive', naive],
    ] as const) {
      if ((await f(png300)) !== PAYLOAD) throw new Error(`image-small bench setup: ${name} reads the 300 px PNG`);
    }
  },
  cases: {
    'decode 300px png: default': () => every(png300),
    'decode 300px png: default, first code only': () => firstOnly(png300),
    'decode 300px png: naive': () => naive(png300),
  },
  bars: [
    { name: '300 px PNG: default vs naive', fast: 'decode 300px png: default', slow: 'decode 300px png: naive', min: 1.4 },
    {
      name: '300 px PNG: first code only / every code (default)',
      fast: 'decode 300px png: default',
      slow: 'decode 300px png: default, first code only',
      min: 0.77,
    },
  ],
  rounds: 20,
  batchMs: 20,
  budgetMs: 20_000,
};

export default suite;
