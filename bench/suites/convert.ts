/**
 * Static -> dynamic conversion speed (issue 3 item 6), over 8 real static Indonesian payloads
 * (190-260 characters, no amount or tip yet), cycled, always for the amount 25000.
 *
 * - `toDynamic`: ours. Verifies the input CRC, scans the root, edits 01 and inserts 54 after 53,
 *   copies everything else, writes the new CRC.
 * - `naive toDynamic`: the common code (replace "010211", split on "5802ID", bitwise CRC). It does
 *   not check the input CRC, so it does less work than ours.
 * - `promptparse toDynamic`: promptparse `parse(x, strict = true)` (checks the input CRC), set 01 to
 *   12, insert a 54 tag in ID order, `encode` + `withCrcTag` for the new CRC.
 * - `crc16`: our `crc16Hex` over the same payloads: the floor any converter pays to write the CRC.
 */
import { encode, parse as ppParse, tag as ppTag, withCrcTag } from 'promptparse';
import { crc16Hex, parse, toDynamic } from '../../src/index.js';
import { naiveToDynamic } from '../baselines.js';
import type { Suite } from '../harness.js';
import { cycle, STATIC_PAYLOADS } from '../payloads.js';

const AMOUNT = 25000;

function promptparseToDynamic(payload: string, amount: string): string {
  const qr = ppParse(payload, true);
  if (!qr) throw new Error('promptparse could not parse the payload');
  const tags = qr.getTags().filter((t) => t.id !== '63');
  const poi = tags.find((t) => t.id === '01');
  if (poi) poi.value = '12';
  const at = tags.findIndex((t) => t.id > '54');
  tags.splice(at < 0 ? tags.length : at, 0, ppTag('54', amount));
  return withCrcTag(encode(tags), '63');
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`convert suite setup: ${what}`);
}

const p1 = cycle(STATIC_PAYLOADS);
const p2 = cycle(STATIC_PAYLOADS);
const p3 = cycle(STATIC_PAYLOADS);
const p4 = cycle(STATIC_PAYLOADS);

const suite: Suite = {
  name: 'convert',
  setup() {
    for (const p of STATIC_PAYLOADS) {
      const ours = toDynamic(p, { amount: AMOUNT });
      const tree = parse(ours); // throws if the CRC or the structure is wrong
      check(
        tree.nodes.some((n) => n.id === '54' && n.value === String(AMOUNT)),
        `toDynamic wrote no 54 for ${p}`,
      );
      check(naiveToDynamic(p, String(AMOUNT)) === ours, `naive converter disagrees with toDynamic on ${p}`);
      check(promptparseToDynamic(p, String(AMOUNT)) === ours, `promptparse path disagrees with toDynamic on ${p}`);
    }
  },
  cases: {
    toDynamic: () => toDynamic(p1(), { amount: AMOUNT }),
    'naive toDynamic': () => naiveToDynamic(p2(), '25000'),
    'promptparse toDynamic': () => promptparseToDynamic(p3(), '25000'),
    crc16: () => crc16Hex(p4()),
  },
  bars: [
    { name: 'toDynamic vs naive', fast: 'toDynamic', slow: 'naive toDynamic', min: 3.5 },
    { name: 'toDynamic vs promptparse', fast: 'toDynamic', slow: 'promptparse toDynamic', min: 8 },
    { name: 'toDynamic <= 2.5x crc16', fast: 'toDynamic', slow: 'crc16', min: 0.4 },
  ],
};

export default suite;
