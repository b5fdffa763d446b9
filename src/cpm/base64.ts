/**
 * Base64 (RFC 4648 §4, standard alphabet) for the CPM payload, without `atob` or `Buffer` so it runs
 * the same in Node, browsers and edge runtimes. Strict: a character outside the alphabet, a stray
 * `=`, a lone final character or non-zero unused bits is refused, so a text decodes to exactly one
 * byte string and `encodeBase64(decodeBase64(t)) === t` for every accepted (padded) `t`.
 */
import { QrisError, quote } from '../errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Character code -> 6-bit value, 255 for anything else (one table lookup per character). */
const DECODE = /* @__PURE__ */ (() => {
  const t = new Uint8Array(128).fill(255);
  for (let i = 0; i < 64; i++) t[ALPHABET.charCodeAt(i)] = i;
  return t;
})();

/** What the decoder reads: a string, or (in tests) anything with `length` and `charCodeAt`. */
export interface CharSource {
  readonly length: number;
  charCodeAt(index: number): number;
}

/**
 * The bytes of base64 text `s[start, end)`. Padding is optional (a QR reader may drop it); when
 * present it must close the text. Offsets in errors are character offsets into `s`.
 */
export function decodeBase64(s: CharSource, start = 0, end = s.length): Uint8Array {
  let stop = end;
  while (stop > start && end - stop < 2 && s.charCodeAt(stop - 1) === 61 /* = */) stop--;
  const pad = end - stop;
  const n = stop - start;
  const out = new Uint8Array((n * 3) >> 2);
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = start; i < stop; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? DECODE[c]! : 255;
    if (v === 255) throw badChar(s, i);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // After the characters: a bad character is the more useful report than a bad count.
  if (n % 4 === 1 || (pad > 0 && (n + pad) % 4 !== 0)) {
    throw new QrisError(
      'BAD_ENCODING',
      `The base64 text has ${n} characters before its padding; base64 comes in groups of 4 (the text is cut or has a stray character).`,
      {
        offset: stop,
      },
    );
  }
  // Unused low bits of the last character must be zero, or two texts would give the same bytes.
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) {
    throw new QrisError('BAD_ENCODING', 'The last base64 character has non-zero unused bits (not a canonical encoding).', { offset: stop - 1 });
  }
  return out;
}

function badChar(s: CharSource, i: number): QrisError {
  const c = s.charCodeAt(i);
  const ch = String.fromCharCode(c);
  const hint = c === 45 || c === 95 ? ' (base64url is not the EMVCo encoding)' : c === 61 ? ' (padding only at the end)' : '';
  return new QrisError('BAD_ENCODING', `The text is not base64: ${quote(ch)} at character ${i}${hint}.`, { offset: i });
}

/** Padded base64 of `bytes`. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + ALPHABET[v & 63]!;
  }
  const left = bytes.length - i;
  if (left === 1) {
    const v = bytes[i]! << 16;
    out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + '==';
  } else if (left === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + '=';
  }
  return out;
}
