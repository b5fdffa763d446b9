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
 * - `parse 512 chars` / `parse 32 chars x16`: the linear-time check (issue 12 item 6). The same
 *   kind of payload (tiny objects in templates 65-99) at 16x the size must cost about 16x the time,
 *   not 256x: a scanner that rescans its level for each object fails the bar. test/tlv.test.ts
 *   checks the same deterministically, by counting the bytes the scanner reads.
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

/** A valid payload of about `size` characters: 00, then templates 65-99 of up to 19 objects "0001A", then 63. */
function tinyObjects(size: number): string {
  let body = '000201';
  let total = 6 + 8;
  for (let id = 65; id <= 99 && total + 9 <= size; id++) {
    let value = '';
    for (let c = 0; c < 19 && total + 4 + value.length + 5 <= size; c++) value += (c < 10 ? '0' : '') + c + '01A';
    body += id + (value.length < 10 ? '0' : '') + value.length + value;
    total += 4 + value.length;
  }
  return body + '6304' + crc16Hex(body + '6304');
}
const SMALL = tinyObjects(32);
const LARGE = tinyObjects(512);

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
    check(parse(SMALL).nodes.length === 3 && parse(LARGE).nodes.length === 7 && LARGE.length >= 480 && LARGE.length <= 512, 'linear-time payloads');
  },
  cases: {
    crc16: () => crc16Hex(body1()),
    'bitwise crc16': () => bitwiseCrcHex(body2()),
    'crc package crc16': () => crcPackageHex(body3()),
    parse: () => parse(pay1()),
    'promptparse parse': () => ppParse(pay2(), true),
    'naive parse': () => naiveParse(pay3()),
    'serialize(parse)': () => serialize(parse(pay4())),
    'parse 512 chars': () => parse(LARGE),
    'parse 32 chars x16': () => {
      let n = 0;
      for (let i = 0; i < 16; i++) n += parse(SMALL).nodes.length;
      return n;
    },
  },
  bars: [
    { name: 'crc16 vs bitwise loop', fast: 'crc16', slow: 'bitwise crc16', min: 4 },
    { name: 'crc16 vs crc package', fast: 'crc16', slow: 'crc package crc16', min: 2.5 },
    { name: 'parse vs promptparse', fast: 'parse', slow: 'promptparse parse', min: 3.5 },
    // 16x the input in at most ~1.7x the time of 16 small parses (linear: about 1x or better).
    { name: 'parse linear: 16x input', fast: 'parse 512 chars', slow: 'parse 32 chars x16', min: 0.6 },
  ],
};

export default suite;
