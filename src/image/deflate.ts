/**
 * A small zlib (RFC 1950) / deflate (RFC 1951) compressor for the PNG writer, in plain JavaScript
 * so `toPng` stays synchronous and identical in Node, browsers and edge runtimes (no node:zlib, no
 * async CompressionStream). One block with the fixed Huffman codes and LZ77 over hash chains: a QR
 * bitmap is a few distinct row patterns, each repeated `scale` times, so nearly everything is a
 * long match one row up and dynamic Huffman tables would buy only a few bytes.
 */

/** RFC 1951 §3.2.5: base length and extra bits of length codes 257..285. */
const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
/** RFC 1951 §3.2.5: base distance and extra bits of distance codes 0..29. */
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

const WINDOW = 32768;
const MAX_MATCH = 258;
/** Candidates tried per position: bounds the time on adversarial input (linear overall). */
const MAX_CHAIN = 48;
const HASH_BITS = 15;

function reverse(code: number, bits: number): number {
  let r = 0;
  for (let i = 0; i < bits; i++) r = (r << 1) | ((code >> i) & 1);
  return r;
}

/** RFC 1951 §3.2.6 fixed literal/length codes, bit-reversed once so they can be written LSB first. */
const FIXED = /* @__PURE__ */ (() => {
  const code = new Uint16Array(288);
  const len = new Uint8Array(288);
  for (let s = 0; s < 288; s++) {
    const [c, l] = s < 144 ? [0x30 + s, 8] : s < 256 ? [0x190 + s - 144, 9] : s < 280 ? [s - 256, 7] : [0xc0 + s - 280, 8];
    code[s] = reverse(c, l);
    len[s] = l;
  }
  const dist = new Uint8Array(30);
  for (let d = 0; d < 30; d++) dist[d] = reverse(d, 5);
  // Match length 3..258 -> index into LEN_BASE.
  const lenCode = new Uint8Array(MAX_MATCH + 1);
  for (let c = 0; c < 29; c++) for (let l = LEN_BASE[c]!; l < (c === 28 ? 259 : LEN_BASE[c + 1]!); l++) lenCode[l] = c;
  return { code, len, dist, lenCode };
})();

function distCode(d: number): number {
  let c = 29;
  while (DIST_BASE[c]! > d) c--;
  return c;
}

/** The bytes as a zlib stream (what PNG's IDAT holds). */
export function zlibDeflate(data: Uint8Array): Uint8Array {
  const n = data.length;
  // Worst case: every byte a 9-bit literal, plus header, end code and Adler-32.
  const out = new Uint8Array(((n * 9) >> 3) + 16);
  out[0] = 0x78; // CM 8 (deflate), CINFO 7 (32 KiB window)
  out[1] = 0x01; // FCHECK: 0x7801 is a multiple of 31
  let pos = 2;
  let acc = 0;
  let nbits = 0;
  const put = (value: number, bits: number): void => {
    acc |= value << nbits;
    nbits += bits;
    while (nbits >= 8) {
      out[pos++] = acc & 0xff;
      acc >>>= 8;
      nbits -= 8;
    }
  };
  put(1, 1); // BFINAL
  put(1, 2); // BTYPE 01: fixed Huffman codes
  const { code, len, dist, lenCode } = FIXED;
  const head = new Int32Array(1 << HASH_BITS).fill(-1);
  const prev = new Int32Array(Math.min(n, WINDOW)).fill(-1);
  const hashAt = (i: number): number => ((data[i]! << 10) ^ (data[i + 1]! << 5) ^ data[i + 2]!) & ((1 << HASH_BITS) - 1);
  const insert = (i: number): void => {
    const h = hashAt(i);
    prev[i % WINDOW] = head[h]!;
    head[h] = i;
  };
  let i = 0;
  while (i < n) {
    let best = 0;
    let bestDist = 0;
    if (i + 2 < n) {
      const max = Math.min(MAX_MATCH, n - i);
      let cand = head[hashAt(i)]!;
      for (let chain = MAX_CHAIN; cand >= 0 && i - cand <= WINDOW && chain > 0; chain--) {
        // Check the byte that would make this candidate longer than the best before the rest.
        if (data[cand + best] === data[i + best]) {
          let l = 0;
          while (l < max && data[cand + l] === data[i + l]) l++;
          if (l > best) {
            best = l;
            bestDist = i - cand;
            if (l === max) break;
          }
        }
        const next = prev[cand % WINDOW]!;
        if (next >= cand) break; // a slot reused by a newer position: the chain ends here
        cand = next;
      }
      insert(i);
    }
    if (best >= 3) {
      const lc = lenCode[best]!;
      put(code[257 + lc]!, len[257 + lc]!);
      if (LEN_EXTRA[lc]) put(best - LEN_BASE[lc]!, LEN_EXTRA[lc]);
      const dc = distCode(bestDist);
      put(dist[dc]!, 5);
      if (DIST_EXTRA[dc]) put(bestDist - DIST_BASE[dc]!, DIST_EXTRA[dc]);
      const end = i + best;
      for (i++; i < end; i++) if (i + 2 < n) insert(i);
    } else {
      put(code[data[i]!]!, len[data[i]!]!);
      i++;
    }
  }
  put(code[256]!, len[256]!); // end of block
  if (nbits > 0) out[pos++] = acc & 0xff;
  const a = adler32(data);
  out[pos++] = a >>> 24;
  out[pos++] = (a >>> 16) & 0xff;
  out[pos++] = (a >>> 8) & 0xff;
  out[pos++] = a & 0xff;
  return out.subarray(0, pos);
}

function adler32(b: Uint8Array): number {
  let s1 = 1;
  let s2 = 0;
  for (let i = 0; i < b.length;) {
    // 5552 is the most bytes that cannot overflow s2 before the modulo (RFC 1950 §9).
    const end = Math.min(b.length, i + 5552);
    for (; i < end; i++) {
      s1 += b[i]!;
      s2 += s1;
    }
    s1 %= 65521;
    s2 %= 65521;
  }
  return ((s2 << 16) | s1) >>> 0;
}
