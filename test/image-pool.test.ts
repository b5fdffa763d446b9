/**
 * The package's one worker pool (src/image/pool.ts), as decodeImage and qris serve use it: the
 * resident-set guard replaces a busy worker past the limit, a task past its deadline is abandoned,
 * a full queue is refused, errors come back revived, and workers never keep the process alive.
 * Workers here are tiny scripts run with `eval`, so each behaviour is tested alone.
 */
import { describe, expect, it } from 'vitest';
import { WorkerPool, workerExecArgv, type PoolErrors } from '../src/image/pool.js';
import { nativeDetector } from '../src/image/detect.js';

const ERRORS: PoolErrors = {
  busy: (n) => Object.assign(new Error(`busy ${n}`), { kind: 'busy' }),
  timeout: (ms) => Object.assign(new Error(`timeout ${ms}`), { kind: 'timeout' }),
  memory: (why, limit) => Object.assign(new Error(`memory ${why} ${limit}`), { kind: `memory-${why}` }),
  revive: (e) => Object.assign(new Error(e.message), { kind: 'revived', code: e.code }),
};

/** A worker that answers each message after `ms`, echoing it (or failing when asked). */
const sleeper = (ms: number) => `
  const { parentPort } = require('node:worker_threads');
  parentPort.on('message', (m) => setTimeout(() => parentPort.postMessage(
    m.fail ? { ok: false, error: { name: 'QrisError', code: 'IMAGE_NO_QR', message: 'none' } } : { ok: true, answer: m }), ${ms}));`;

describe('WorkerPool', () => {
  it('the resident-set guard stops a busy worker past the limit and rejects its task as memory', async () => {
    const pool = new WorkerPool<unknown>(sleeper(2_000), { size: 1, maxRssBytes: 1, errors: ERRORS });
    try {
      const t = performance.now();
      await expect(pool.run({ n: 1 })).rejects.toMatchObject({ kind: 'memory-rss' });
      expect(performance.now() - t).toBeLessThan(1_500); // the guard, not the task's own 2 s
      // A fresh worker takes the next task (the guard still rejects it: the process is past 1 byte).
      await expect(pool.run({ n: 2 })).rejects.toMatchObject({ kind: 'memory-rss' });
    } finally {
      await pool.close();
    }
  });

  it('with room under the limit tasks answer; a task past its deadline is abandoned; a full queue is refused', async () => {
    const pool = new WorkerPool<{ n: number }>(sleeper(30), { size: 1, maxQueue: 1, taskTimeoutMs: 2_000, maxRssBytes: 64 * 2 ** 30, errors: ERRORS });
    try {
      expect(await pool.run({ n: 7 })).toEqual({ n: 7 });
      await expect(pool.run({ fail: true })).rejects.toMatchObject({ kind: 'revived', code: 'IMAGE_NO_QR' });
      const a = pool.run({ n: 1 });
      const b = pool.run({ n: 2 });
      await expect(pool.run({ n: 3 })).rejects.toMatchObject({ kind: 'busy' });
      expect(await Promise.all([a, b])).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      await pool.close();
    }
    const slow = new WorkerPool<unknown>(sleeper(5_000), { size: 1, taskTimeoutMs: 100, errors: ERRORS });
    try {
      await expect(slow.run({})).rejects.toMatchObject({ kind: 'timeout' });
    } finally {
      await slow.close();
    }
  });

  it('workers inherit the parent options, except those a worker refuses (--input-type, then V8 flags)', () => {
    expect(workerExecArgv(['--expose-gc', '--import', 'tsx'])).toBeUndefined(); // Node's own inheritance
    expect(
      workerExecArgv(['--import', 'tsx', '--input-type=module', '--expose-gc', '-r', 'x', '--input-type', 'commonjs', '--max-old-space-size=512']),
    ).toEqual(['--import', 'tsx', '-r', 'x']);
  });
});

describe("the browser's BarcodeDetector as a detector", () => {
  it('returns every symbol it reports (up to max), text normalised; none where the runtime has no BarcodeDetector', async () => {
    const g = globalThis as { BarcodeDetector?: unknown; ImageData?: unknown };
    expect(nativeDetector()).toBeNull(); // Node has neither
    const seen: unknown[] = [];
    g.ImageData = class {
      constructor(
        readonly data: Uint8ClampedArray,
        readonly width: number,
        readonly height: number,
      ) {}
    };
    g.BarcodeDetector = class {
      constructor(o: unknown) {
        seen.push(o);
      }
      detect() {
        const corners = [
          { x: 0, y: 0 },
          { x: 10, y: 0 },
          { x: 10, y: 10 },
          { x: 0, y: 10 },
        ];
        return Promise.resolve([
          { rawValue: '\uFEFF000201A\r\n', cornerPoints: corners },
          { rawValue: '000201B', cornerPoints: corners },
          { rawValue: '', cornerPoints: corners },
          { rawValue: '000201C', cornerPoints: corners },
        ]);
      }
    };
    try {
      const det = nativeDetector()!;
      const gray = { data: new Uint8Array(100), width: 10, height: 10 };
      expect((await det.read(gray, false, 8)).map((h) => h.text)).toEqual(['000201A', '000201B', '000201C']);
      expect((await det.read(gray, false, 2)).map((h) => h.text)).toEqual(['000201A', '000201B']);
      expect(seen).toEqual([{ formats: ['qr_code'] }]); // one detector, reused
    } finally {
      delete g.BarcodeDetector;
      delete g.ImageData;
    }
  });
});
