/**
 * decodeImage off the event loop (issue 19 item 1): by default Node decodes in the package's worker
 * pool, so a 12 MP photo does not stall the caller's event loop; `thread: 'caller'` decodes on the
 * calling thread (and fails the same stall test: it is the broken variant). Errors, candidates and
 * the caller's buffer survive the thread boundary; an idle pool never keeps the process alive.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { photo12Mp } from '../fixtures/images/render.js';
import { worstStall } from './event-loop.js';
import { decodeImage, toPng } from '../src/image/index.js';
import { LAYOUTS, ORIGINAL, tamper } from './multi-code-pictures.js';

const P = readFileSync(new URL('../fixtures/demo/static-qris.txt', import.meta.url), 'utf8').trim();
let photo12: Buffer;

beforeAll(async () => {
  photo12 = await photo12Mp(P);
  await decodeImage(toPng(P)); // the pool is started: start-up is not what this measures
}, 60_000);

describe('the event loop while a 12 MP photo decodes (engine jimp: all pure JavaScript)', () => {
  it('in the worker pool (the default) it keeps running; on the calling thread it stalls', async () => {
    const worker = await worstStall(() => decodeImage(photo12, { engine: 'jimp' }).then((r) => expect(r.payload).toBe(P)));
    const caller = await worstStall(() => decodeImage(photo12, { engine: 'jimp', thread: 'caller' }).then((r) => expect(r.payload).toBe(P)));
    console.log(`12 MP photo, jimp: worst event-loop stall ${worker.toFixed(0)} ms in the worker, ${caller.toFixed(0)} ms on the calling thread`);
    // The bench reports the figure on a quiet machine (target 50 ms); here CI shares two cores.
    expect(worker).toBeLessThan(250);
    expect(caller).toBeGreaterThan(Math.max(400, 3 * worker));
  });
});

describe('across the thread boundary', () => {
  it('errors keep their code, message and candidates; the caller keeps its buffer', async () => {
    const two = await LAYOUTS.find((l) => l.name === 'side-by-side-ab')!.build(ORIGINAL, tamper(ORIGINAL));
    const bytes = new Uint8Array(two.bytes);
    const e = await decodeImage(bytes).catch((x: unknown) => x);
    expect(e).toMatchObject({ name: 'QrisError', code: 'IMAGE_MULTIPLE_CODES', candidates: [ORIGINAL, tamper(ORIGINAL)] });
    expect(bytes.byteLength).toBe(two.bytes.length); // not detached by the transfer
    const blank = toPng('x').slice(0, 0);
    await expect(decodeImage(blank)).rejects.toMatchObject({ code: 'IMAGE_CORRUPT' });
    await expect(decodeImage(toPng(P), { thread: 'elsewhere' as 'worker' })).rejects.toMatchObject({ code: 'BAD_OPTION' });
  });

  it('the worker and the calling thread give the same result', async () => {
    const a = await decodeImage(toPng(P, { size: 400 }));
    const b = await decodeImage(toPng(P, { size: 400 }), { thread: 'caller' });
    expect(a).toEqual(b);
  });

  it('an idle pool never keeps the process alive (a script that decoded once exits by itself; started with options a worker refuses)', () => {
    const script = `
      const { decodeImage, toPng } = await import(${JSON.stringify(new URL('../src/image/index.ts', import.meta.url).href)});
      const r = await decodeImage(toPng('${P}'));
      console.log('decoded ' + (r.payload.length > 0));`;
    const t = performance.now();
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stdout.trim(), r.stderr).toBe('decoded true');
    expect(r.status).toBe(0);
    expect(performance.now() - t).toBeLessThan(25_000);
  });
});
