/**
 * Base64 both ways without `Buffer` (absent in browsers and edge runtimes) and without `atob`/`btoa`
 * (Latin-1 strings in between, and no base64url). Decoding takes the standard and the URL-safe
 * alphabets, with or without padding, as `Buffer.from(s, 'base64')` does; the caller has already
 * checked the characters.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Character code -> 6-bit value (`-` and `_` are base64url's 62 and 63); 255 for anything else. */
const VALUE = /* @__PURE__ */ (() => {
  const t = new Uint8Array(128).fill(255);
  for (let i = 0; i < 64; i++) t[ALPHABET.charCodeAt(i)] = i;
  t[45] = 62;
  t[95] = 63;
  return t;
})();

export function base64Encode(b: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 < b.length; i += 3) {
    const v = (b[i]! << 16) | (b[i + 1]! << 8) | b[i + 2]!;
    s += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + ALPHABET[v & 63]!;
  }
  const rest = b.length - i;
  if (rest === 1) {
    const v = b[i]! << 16;
    s += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const v = (b[i]! << 16) | (b[i + 1]! << 8);
    s += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + '=';
  }
  return s;
}

/**
 * Bytes of base64 text. Stops at the first `=` (padding), like Node; a trailing lone character
 * (6 bits, not a whole byte) is dropped, like Node.
 */
export function base64Decode(s: string): Uint8Array {
  let end = s.indexOf('=');
  if (end < 0) end = s.length;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let acc = 0;
  let bits = 0;
  let p = 0;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? VALUE[c]! : 255;
    if (v === 255) continue; // the caller allows only alphabet characters and whitespace
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[p++] = (acc >> bits) & 0xff;
    }
  }
  return p === out.length ? out : out.subarray(0, p);
}
