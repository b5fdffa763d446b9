/**
 * `npm run bench:check [-- <suite>...]`: the CI gate. Runs each suite 7 times, each time in a fresh
 * child process (cases of different suites disturb each other when they share a process), takes
 * the median ratio per bar over the runs, prints one table, and exits 1 if any bar is below its
 * minimum or any suite failed to run.
 *
 * Bars are fixed by the issues. A median that lands within noise of its bar is a reason to make
 * the implementation faster or the measurement fairer, never to lower the bar.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { suiteNames } from './discover.js';
import { formatRatio, formatTime, median, RESULT_PREFIX, table, type SuiteResult } from './harness.js';

// Seven, not three: the toDynamic/crc16 bar sits within a few percent of its minimum and single runs
// spread by ±0.02 around it; a median of seven is steadier (the image suite then takes ~9 minutes).
const RUNS = 7;
/** A child that takes longer than this is killed and counted as a failure. */
const CHILD_TIMEOUT_MS = 120_000;

const RUN_SCRIPT = new URL('./run.ts', import.meta.url).pathname;

/**
 * One fresh process running one suite; undefined (after printing why) if it failed. Only the first
 * run (`first`) does a suite's setup reports and gates (image bombs, thread figures): they check and
 * print the same thing every time, and the other runs exist for the timing medians.
 */
function runChild(name: string, first: boolean): SuiteResult | undefined {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', RUN_SCRIPT, '--json', name], {
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(first ? {} : { BENCH_SETUP_REPORTS: '0' }) },
  });
  const line = child.stdout?.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (first) for (const l of `${child.stdout ?? ''}\n${child.stderr ?? ''}`.split('\n')) if (l.startsWith('image')) console.log(`${name}: ${l}`);
  if (child.status === 0 && line) return JSON.parse(line.slice(RESULT_PREFIX.length)) as SuiteResult;
  const why = child.error ? child.error.message : `exit ${child.status ?? child.signal}`;
  console.error(`bench:check: suite "${name}" failed (${why}).\n${(child.stderr ?? '').trim()}`);
  return undefined;
}

function main(): number {
  const t0 = performance.now();
  const names = suiteNames(process.argv.slice(2));
  const rows: string[][] = [];
  let passed = 0;
  let failed = 0;
  const brokenSuites: string[] = [];
  for (const name of names) {
    const runs: SuiteResult[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = runChild(name, i === 0);
      if (!r) break;
      runs.push(r);
    }
    if (runs.length < RUNS) {
      brokenSuites.push(name);
      continue;
    }
    const secs = runs.reduce((s, r) => s + r.ms, 0) / 1000;
    console.log(
      `${name}: ${RUNS} runs in ${secs.toFixed(1)} s; case medians from run 1: ` + runs[0]!.cases.map((c) => `${c.name} ${formatTime(c.ns)}`).join(', '),
    );
    runs[0]!.bars.forEach((bar, b) => {
      const ratios = runs.map((r) => r.bars[b]!.ratio);
      const m = median(ratios);
      const ok = m >= bar.min;
      if (ok) passed++;
      else failed++;
      rows.push([`${name}: ${bar.name}`, ...ratios.map(formatRatio), formatRatio(m), formatRatio(bar.min), ok ? 'ok' : 'FAIL']);
    });
  }
  console.log('\n' + table(['bar (time slow / time fast)', ...runColumns(), 'median', 'min', ''], rows));
  const broken = brokenSuites.length ? `, ${brokenSuites.length} suite(s) failed to run (${brokenSuites.join(', ')})` : '';
  console.log(`\nbench:check: ${passed} bars passed, ${failed} failed${broken} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  return failed || brokenSuites.length ? 1 : 0;
}

function runColumns(): string[] {
  return Array.from({ length: RUNS }, (_, i) => `run ${i + 1}`);
}

process.exitCode = main();
