/**
 * `npm run bench [-- <suite>...] [--rounds N] [--wall] [--json]`: runs the suites in bench/suites/ in this
 * process, one after the other, and prints a table per suite. With `--json` it prints one
 * `BENCH_RESULT <json>` line per suite instead (what bench/check.ts reads).
 */
import { suiteNames, loadSuite } from './discover.js';
import { formatSuite, RESULT_PREFIX, runSuite, sinkValue, type RunOptions } from './harness.js';

function parseArgs(argv: string[]): { names: string[]; json: boolean; options: RunOptions } {
  const names: string[] = [];
  const options: RunOptions = {};
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--rounds') options.rounds = Number(argv[++i]);
    else if (a === '--wall') options.clock = 'wall';
    else names.push(a);
  }
  if (options.rounds !== undefined && !(options.rounds >= 1)) throw new Error('--rounds takes a positive number.');
  return { names, json, options };
}

async function main(): Promise<number> {
  const { names, json, options } = parseArgs(process.argv.slice(2));
  let failures = 0;
  for (const name of suiteNames(names)) {
    let result;
    try {
      const suite = await loadSuite(name);
      result = await runSuite(suite, options);
    } catch (e) {
      failures++;
      console.error(`bench: suite "${name}" could not run: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      continue;
    }
    if (json) console.log(RESULT_PREFIX + JSON.stringify(result));
    else console.log(formatSuite(result));
  }
  if (sinkValue() < 0) console.log('unreachable'); // reads the sink
  return failures ? 1 : 0;
}

process.exitCode = await main();
