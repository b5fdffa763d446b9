/**
 * Core codec speed (issue 2 item 7): CRC-16 and parse, against the common approach and peers,
 * over 8 real Indonesian payloads of 190-260 characters, cycled.
 *
 * What each parse case does, so the work compared is the same:
 * - `parse`: ours. Checks the CRC (over UTF-8 bytes), scans the whole payload, builds the full
 *   tree with offsets and the children of every spec template.
 * - `promptparse parse`: `parse(payload, strict = true, subTags = true)`. Strict mode checks the
 *   CRC (over UTF-16 code units; the same for these ASCII payloads), then decodes the root and
 *   tries a sub-tag decode of every value that looks like TLV (its heuristic for templates).
 * - `naive parse`: the common code: CRC with the bitwise loop, then substr/parseInt, recursive
 *   for templates.
 */
import { crc16ccitt } from 'crc';
import { parse as ppParse } from 'promptparse';
import { crc16Hex, parse, serialize } from '../../src/index.js';
import { bitwiseCrcHex, naiveParse } from '../baselines.js';
import type { Suite } from '../harness.js';
import { cycle, PAYLOADS } from '../payloads.js';

/** The CRC input: a payload up to and including "6304". */
const BODIES = PAYLOADS.map((p) => p.slice(0, -4));

function crcPackageHex(s: string): string {
  return crc16ccitt(s).toString(16).toUpperCase().padStart(4, '0');
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`core suite setup: ${what}`);
}

const body1 = cycle(BODIES);
const body2 = cycle(BODIES);
const body3 = cycle(BODIES);
const pay1 = cycle(PAYLOADS);
const pay2 = cycle(PAYLOADS);
const pay3 = cycle(PAYLOADS);
const pay4 = cycle(PAYLOADS);

const suite: Suite = {
  name: 'core',
  setup() {
    for (const p of PAYLOADS) {
      const body = p.slice(0, -4);
      const want = p.slice(-4).toUpperCase();
      check(crc16Hex(body) === want && bitwiseCrcHex(body) === want && crcPackageHex(body) === want, `CRC cases disagree on ${p}`);
      const ours = parse(p);
      const pp = ppParse(p, true);
      const naive = naiveParse(p);
      check(pp !== null && pp.getTags().length === ours.nodes.length && naive.length === ours.nodes.length, `parsers disagree on ${p}`);
      check(serialize(ours) === p, `round trip changed ${p}`);
    }
  },
  cases: {
    crc16: () => crc16Hex(body1()),
    'bitwise crc16': () => bitwiseCrcHex(body2()),
    'crc package crc16': () => crcPackageHex(body3()),
    parse: () => parse(pay1()),
    'promptparse parse': () => ppParse(pay2(), true),
    'naive parse': () => naiveParse(pay3()),
    'serialize(parse)': () => serialize(parse(pay4())),
  },
  bars: [
    { name: 'crc16 vs bitwise loop', fast: 'crc16', slow: 'bitwise crc16', min: 4 },
    { name: 'crc16 vs crc package', fast: 'crc16', slow: 'crc package crc16', min: 2.5 },
    { name: 'parse vs promptparse', fast: 'parse', slow: 'promptparse parse', min: 3.5 },
  ],
};

export default suite;
