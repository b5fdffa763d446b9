/**
 * decodeImage's worker pool (issue 19) priced against the calling thread, in a process of its own
 * (a worker's background work would be charged to other cases on the process CPU clock):
 * - the 300 px PNG (default engine) and the 12 MP photo (accelerated), worker against caller;
 * - printed in setup (bench:check: first run only): the pool's start-up as a ratio to a decode, and
 *   the worst event-loop stall while a 12 MP photo decodes, per engine, in the worker and on the
 *   calling thread (target: under 50 ms in the worker on every engine).
 */
import { readFileSync } from 'node:fs';
import { photo12Mp } from '../../fixtures/images/render.js';
import { worstStall } from '../../test/event-loop.js';
import { decodeImage, toPng } from '../../src/image/index.js';
import type { Suite } from '../harness.js';

const PAYLOAD = readFileSync(new URL('../../fixtures/demo/static-qris.txt', import.meta.url), 'utf8').trim();

let png300: Uint8Array = new Uint8Array(0);
let photo12: Uint8Array = new Uint8Array(0);

const read = (b: Uint8Array, engine: 'jimp' | 'accelerated', thread: 'worker' | 'caller') => decodeImage(b, { engine, thread }).then((r) => r.payload);

async function figures(): Promise<void> {
  let t = performance.now();
  await read(png300, 'jimp', 'worker'); // starts the pool
  const cold = performance.now() - t;
  t = performance.now();
  await read(png300, 'jimp', 'worker');
  const warm = performance.now() - t;
  t = performance.now();
  await read(photo12, 'accelerated', 'caller');
  const big = performance.now() - t;
  const startUp = cold - warm;
  console.log(
    `image-worker: worker start-up ${startUp.toFixed(0)} ms = ${(startUp / warm).toFixed(1)}x a warm 300 px PNG decode, ${(startUp / big).toFixed(2)}x a 12 MP decode (accelerated)`,
  );
  const rows: string[] = [];
  for (const engine of ['jimp', 'portable', 'accelerated'] as const) {
    const w = await worstStall(() => decodeImage(photo12, { engine }));
    const c = await worstStall(() => decodeImage(photo12, { engine, thread: 'caller' }));
    rows.push(`${engine} ${w.toFixed(0)} ms (worker) / ${c.toFixed(0)} ms (caller)`);
  }
  console.log(`image-worker: worst event-loop stall while a 12 MP photo decodes: ${rows.join(', ')}`);
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`image-worker bench setup: ${what}`);
}

const suite: Suite = {
  name: 'image-worker',
  async setup() {
    png300 = toPng(PAYLOAD, { size: 300 });
    photo12 = await photo12Mp(PAYLOAD);
    if (process.env['BENCH_SETUP_REPORTS'] !== '0') await figures();
    for (const thread of ['worker', 'caller'] as const) {
      check((await read(png300, 'jimp', thread)) === PAYLOAD, `the 300 px PNG reads (${thread})`);
      check((await read(photo12, 'accelerated', thread)) === PAYLOAD, `the 12 MP photo reads (${thread})`);
    }
  },
  cases: {
    'decode 300px png: default, calling thread': () => read(png300, 'jimp', 'caller'),
    'decode 300px png: default, worker': () => read(png300, 'jimp', 'worker'),
    'decode 12MP jpeg: accelerated, calling thread': () => read(photo12, 'accelerated', 'caller'),
    'decode 12MP jpeg: accelerated, worker': () => read(photo12, 'accelerated', 'worker'),
  },
  bars: [
    // The worker does the same decoding on another thread (the CPU clock counts both) plus a copy
    // and two messages: close to 1x, a little less for a small picture.
    {
      name: '300 px PNG: calling thread / worker (default)',
      fast: 'decode 300px png: default, worker',
      slow: 'decode 300px png: default, calling thread',
      min: 0.6,
    },
    {
      name: '12 MP photo: calling thread / worker (accelerated)',
      fast: 'decode 12MP jpeg: accelerated, worker',
      slow: 'decode 12MP jpeg: accelerated, calling thread',
      min: 0.8,
    },
  ],
  rounds: 10,
  batchMs: 20,
  budgetMs: 30_000,
};

export default suite;
