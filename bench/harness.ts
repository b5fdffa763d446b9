/**
 * The benchmark harness: interleaved rounds, medians, ratios measured within one run.
 *
 * ## Suite contract (stable: other suites are written against it)
 *
 * A suite is a file `bench/suites/<name>.ts` whose default export is a `Suite`:
 *
 * ```ts
 * export interface Suite {
 *   name: string;                    // 'core', 'convert', 'image'
 *   setup?: () => Promise<void> | void;
 *   cases: Record<string, () => unknown | Promise<unknown>>;
 *   bars: { name: string; fast: string; slow: string; min: number }[]; // ratio slow/fast time must be >= min
 *   rounds?: number; batchMs?: number;  // heavy suites (image) use fewer rounds
 *   budgetMs?: number;                  // optional cap on measuring time (after warm-up)
 *   clock?: 'cpu' | 'wall';             // default 'cpu': process CPU time, immune to descheduling
 * }
 * export default suite
 * ```
 *
 * - `setup` runs once before anything is timed: load fixtures, and check that every case gives a
 *   correct result (a baseline that computes something else is not a fair baseline).
 * - A case is called with no arguments; cycle through inputs inside it. It may return a promise
 *   (it is then awaited, one call at a time). Return the result: the harness keeps it alive so
 *   the work cannot be optimised away.
 * - A bar `{ fast, slow, min }` passes when time(slow) / time(fast) >= min, i.e. `fast` is at least
 *   `min` times faster. To state "fast takes at most k times slow", use `min: 1 / k`.
 *
 * ## Method
 * 1. Warm-up: each case runs for `warmupMs` (at least 2 calls), which also estimates its cost.
 * 2. Each case gets a batch size so one batch takes about `batchMs` (at least 1 call).
 * 3. Rounds: every round runs one batch of every case, round-robin, starting one case later each
 *    round so no case always follows the same neighbour. A sample is the batch time / batch size.
 * 4. A case's ns/op is the median of its samples. A bar's ratio is the median over rounds of
 *    slow/fast within the same round, so load that drifts across rounds cancels out.
 * Each case's timing loop is compiled separately (`new Function`), so every loop has its own
 * monomorphic call site and one case's type feedback never slows another's loop.
 */
import { performance } from 'node:perf_hooks';

export interface Bar {
  name: string;
  fast: string;
  slow: string;
  min: number;
}

export interface Suite {
  name: string;
  setup?: () => Promise<void> | void;
  cases: Record<string, () => unknown>; // sync or async: a returned Promise is awaited
  bars: Bar[];
  rounds?: number;
  batchMs?: number;
  budgetMs?: number;
  clock?: Clock;
}

/**
 * 'cpu' (default): CPU time of the process, so time spent descheduled on a busy machine does not
 * count (it includes GC and worker threads). 'wall': elapsed time.
 */
export type Clock = 'cpu' | 'wall';

export interface RunOptions {
  clock?: Clock;
  /** Overrides the suite's `rounds`. */
  rounds?: number;
  warmupMs?: number;
}

export interface CaseResult {
  name: string;
  /** Median ns per call. */
  ns: number;
  /** Calls per batch. */
  batch: number;
  samples: number;
}

export interface BarResult extends Bar {
  /** Median over rounds of time(slow) / time(fast). */
  ratio: number;
  pass: boolean;
}

export interface SuiteResult {
  name: string;
  cases: CaseResult[];
  bars: BarResult[];
  rounds: number;
  ms: number;
}

/** Marks the machine-readable result line `run.ts --json` prints for `check.ts`. */
export const RESULT_PREFIX = 'BENCH_RESULT ';

export const DEFAULT_ROUNDS = 40;
export const DEFAULT_BATCH_MS = 3;
export const DEFAULT_BUDGET_MS = 20_000;
const DEFAULT_WARMUP_MS = 150;

// ---- Sink: keeps results observable ----------------------------------------------------------

/** Results are compared against this object; nothing ever equals it, but the engine cannot know. */
const MARKER: unknown = { marker: true };
let sinkHits = 0;

/** Call after a run so the sink is read (and cannot be proven dead). */
export function sinkValue(): number {
  return sinkHits;
}

type SyncLoop = (fn: () => unknown, n: number, marker: unknown) => number;

/** A fresh loop per case: its `fn()` call site sees one function only. */
function compileSyncLoop(): SyncLoop {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a constant source compiled per case is what keeps each call site monomorphic.
  return new Function(
    'fn',
    'n',
    'marker',
    `let hits = 0;
     for (let i = 0; i < n; i++) { if (fn() === marker) hits++; }
     return hits;`,
  ) as SyncLoop;
}

async function asyncLoop(fn: () => unknown, n: number): Promise<number> {
  let hits = 0;
  for (let i = 0; i < n; i++) if ((await fn()) === MARKER) hits++;
  return hits;
}

/**
 * With `--expose-gc`, a young-generation collection before every batch, so each case pays for the
 * collection of its own garbage and not for what the case before it left behind.
 */
const gc = (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc;
function collectGarbage(): void {
  if (gc) gc({ type: 'minor' });
}

// ---- Timing ----------------------------------------------------------------------------------

interface Timed {
  name: string;
  fn: () => unknown;
  isAsync: boolean;
  loop: SyncLoop;
  batch: number;
  samples: number[];
}

/** CPU time of this process (user + system) in ns: unlike wall time, it stops while descheduled. */
function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1e3;
}

function wallNow(): number {
  return Number(process.hrtime.bigint());
}

/** Runs `n` calls and returns the elapsed nanoseconds on `clock`. */
async function timeBatch(c: Timed, n: number, clock: () => number): Promise<number> {
  collectGarbage();
  const t0 = clock();
  sinkHits += c.isAsync ? await asyncLoop(c.fn, n) : c.loop(c.fn, n, MARKER);
  return clock() - t0;
}

async function warmUp(c: Timed, warmupMs: number, batchMs: number, clock: () => number): Promise<void> {
  let calls = 0;
  let ns = 0;
  let n = 1;
  const end = performance.now() + warmupMs;
  while (calls < 2 || performance.now() < end) {
    ns += await timeBatch(c, n, clock);
    calls += n;
    if (calls >= 2 && ns / calls > batchMs * 1e6) break; // a heavy case: two warm calls will do
    n = Math.min(n * 2, 1 << 16);
  }
  // Re-estimate on the warm code with one last batch.
  const probe = Math.max(1, Math.min(calls, Math.round((batchMs * 1e6) / (ns / calls))));
  const perCall = (await timeBatch(c, probe, clock)) / probe;
  c.batch = Math.max(1, Math.round((batchMs * 1e6) / perCall));
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs a suite's cases interleaved and checks its bars. */
export async function runSuite(suite: Suite, options: RunOptions = {}): Promise<SuiteResult> {
  const t0 = performance.now();
  await suite.setup?.();
  const batchMs = suite.batchMs ?? DEFAULT_BATCH_MS;
  const rounds = options.rounds ?? suite.rounds ?? DEFAULT_ROUNDS;
  const budgetMs = suite.budgetMs ?? DEFAULT_BUDGET_MS;
  const cases: Timed[] = [];
  for (const [name, fn] of Object.entries(suite.cases)) {
    const first = fn();
    const isAsync = first instanceof Promise;
    if (isAsync) await first;
    cases.push({ name, fn, isAsync, loop: compileSyncLoop(), batch: 1, samples: [] });
  }
  for (const bar of suite.bars) {
    for (const id of [bar.fast, bar.slow]) {
      if (!(id in suite.cases)) throw new Error(`Suite ${suite.name}: bar "${bar.name}" names unknown case "${id}".`);
    }
  }

  const clock = (options.clock ?? suite.clock ?? 'cpu') === 'cpu' ? cpuNow : wallNow;
  for (const c of cases) await warmUp(c, options.warmupMs ?? DEFAULT_WARMUP_MS, batchMs, clock);

  const measureStart = performance.now();
  let done = 0;
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < cases.length; k++) {
      const c = cases[(r + k) % cases.length]!;
      c.samples.push((await timeBatch(c, c.batch, clock)) / c.batch);
    }
    done++;
    if (done >= 5 && performance.now() - measureStart > budgetMs) break;
  }

  const byName = new Map(cases.map((c) => [c.name, c]));
  const bars = suite.bars.map((bar): BarResult => {
    const fast = byName.get(bar.fast)!.samples;
    const slow = byName.get(bar.slow)!.samples;
    const ratio = median(fast.map((f, i) => slow[i]! / f));
    return { ...bar, ratio, pass: ratio >= bar.min };
  });
  return {
    name: suite.name,
    cases: cases.map((c) => ({ name: c.name, ns: median(c.samples), batch: c.batch, samples: c.samples.length })),
    bars,
    rounds: done,
    ms: performance.now() - t0,
  };
}

// ---- Formatting --------------------------------------------------------------------------------

/** 1234 ns -> "1.23 µs"; three significant digits, unit chosen by size. */
export function formatTime(ns: number): string {
  const [v, unit] = ns < 1e3 ? [ns, 'ns'] : ns < 1e6 ? [ns / 1e3, 'µs'] : ns < 1e9 ? [ns / 1e6, 'ms'] : [ns / 1e9, 's'];
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${unit}`;
}

export function formatRatio(x: number): string {
  return `${x.toFixed(2)}x`;
}

/** Left-aligned first column, right-aligned others. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatSuite(result: SuiteResult): string {
  const fastest = Math.min(...result.cases.map((c) => c.ns));
  const cases = table(
    ['case', 'time/op', 'vs fastest', 'batch'],
    result.cases.map((c) => [c.name, formatTime(c.ns), formatRatio(c.ns / fastest), String(c.batch)]),
  );
  const bars = table(
    ['bar', 'fast', 'slow', 'ratio', 'min', ''],
    result.bars.map((b) => [b.name, b.fast, b.slow, formatRatio(b.ratio), formatRatio(b.min), b.pass ? 'ok' : 'FAIL']),
  );
  const title = `== ${result.name} (${result.rounds} rounds, ${(result.ms / 1000).toFixed(1)} s)`;
  return result.bars.length ? `${title}\n${cases}\n\n${bars}\n` : `${title}\n${cases}\n`;
}
