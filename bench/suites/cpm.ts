/**
 * Consumer-presented codes (issue 22): parse and validate of the EMVCo Annex B.2 code (104 bytes,
 * 140 base64 characters; two 61, a 62 with a 64) beside the common approach.
 *
 * - `parseCpm`: ours. Strict base64 (canonical, offsets for errors), BER-TLV with bounds and
 *   offsets, values as views of one byte array, 63 / 64 decoded when they are BER-TLV.
 * - `validateCpm`: parseCpm plus every EMVCo rule of the CPM table (QRIS rows not applicable: the
 *   profile is chosen by the AID, and B.2 is not a QRIS code).
 * - `naive reader`: what a CPM reader usually looks like: `atob`, `Array.from` of the bytes, a
 *   recursive reader that builds hex tags with `toString(16)` and slices a value array per object,
 *   with no bound or error offset (it reads past the end as `undefined`).
 */
import { parseCpm, validateCpm } from '../../src/cpm/index.js';
import type { Suite } from '../harness.js';

const B2 =
  'hQVDUFYwMWETTwegAAAAVVVVUAhQcm9kdWN0MWETTwegAAAAZmZmUAhQcm9kdWN0MmJJWggSNFZ4kBI0WF8gDkNBUkRIT0xERVIvRU1WXy0IcnVlc2RlZW5kIZ8QBwYBCgMAAACfJghYT9OF+iNLzJ82AgABnzcEbVjvEw==';

interface NaiveNode {
  tag: string;
  length: number;
  value: number[];
  children?: NaiveNode[];
}

function naiveRead(b64: string): NaiveNode[] {
  const bytes = Array.from(atob(b64), (c) => c.charCodeAt(0));
  return naiveTlv(bytes);
}

function naiveTlv(bytes: number[]): NaiveNode[] {
  const out: NaiveNode[] = [];
  let i = 0;
  while (i < bytes.length) {
    const first = bytes[i++]!;
    let tag = first.toString(16).padStart(2, '0');
    if ((first & 0x1f) === 0x1f) {
      let b: number;
      do {
        b = bytes[i++]!;
        tag += b.toString(16).padStart(2, '0');
      } while (b & 0x80);
    }
    let length = bytes[i++]!;
    if (length & 0x80) {
      const n = length & 0x7f;
      length = 0;
      for (let k = 0; k < n; k++) length = length * 256 + bytes[i++]!;
    }
    const value = bytes.slice(i, i + length);
    i += length;
    const node: NaiveNode = { tag: tag.toUpperCase(), length, value };
    if (first & 0x20) node.children = naiveTlv(value);
    out.push(node);
  }
  return out;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`cpm suite setup: ${what}`);
}

/** `tag length` of every object, depth first: both readers must see the same tree. */
function shape(nodes: readonly { tag: string; length: number; children?: readonly unknown[] }[]): string {
  return nodes.map((n) => `${n.tag}:${n.length}(${n.children ? shape(n.children as typeof nodes) : ''})`).join(',');
}

const suite: Suite = {
  name: 'cpm',
  setup() {
    check(validateCpm(B2).valid, 'Annex B.2 does not validate');
    check(shape(parseCpm(B2).nodes) === shape(naiveRead(B2)), 'the naive reader sees another tree');
  },
  cases: {
    parseCpm: () => parseCpm(B2),
    validateCpm: () => validateCpm(B2),
    'naive reader': () => naiveRead(B2),
  },
  bars: [
    { name: 'parseCpm vs naive reader', fast: 'parseCpm', slow: 'naive reader', min: 2 },
    { name: 'validateCpm <= 1.8x naive reader', fast: 'validateCpm', slow: 'naive reader', min: 0.55 },
  ],
};

export default suite;
