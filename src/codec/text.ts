// Text checks shared by build, validate and serialize: small, allocation-free scans over UTF-16.

/**
 * Index of the first unpaired UTF-16 surrogate in `s`, or -1 when `s` is well-formed. Such a string
 * has no UTF-8 form: a QR symbol cannot carry it and the CRC over its bytes is undefined.
 */
export function firstLoneSurrogate(s: string, from = 0, to = s.length): number {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff && i + 1 < to) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}
