/**
 * Account numbers as a person should see them on a screen or in a message: the 8-digit NNS prefix
 * (which names the issuer) and the last digits, the middle hidden. The full number stays in `info()`.
 */

/** `9360091530225914810` -> `93600915•••••••4810`; `tail` digits are kept at the end (at least 4). */
export function maskPan(pan: string, tail = 4): string {
  const keepEnd = Math.max(4, tail);
  if (pan.length <= 8 + keepEnd) return pan.length <= keepEnd ? pan : '•'.repeat(pan.length - keepEnd) + pan.slice(-keepEnd);
  return pan.slice(0, 8) + '•'.repeat(pan.length - 8 - keepEnd) + pan.slice(-keepEnd);
}

/**
 * Masks for several accounts that a person must tell apart: the shortest common `tail` (from 4) at
 * which the masked forms of different numbers differ, so two look-alike accounts never print the same.
 */
export function maskPans(pans: readonly string[]): string[] {
  const distinct = new Set(pans);
  for (let tail = 4; ; tail++) {
    const masked = pans.map((p) => maskPan(p, tail));
    const seen = new Map<string, string>();
    let clash = false;
    for (let i = 0; i < pans.length && !clash; i++) {
      const other = seen.get(masked[i]!);
      if (other !== undefined && other !== pans[i]) clash = true;
      seen.set(masked[i]!, pans[i]!);
    }
    if (!clash || tail >= Math.max(...[...distinct].map((p) => p.length))) return masked;
  }
}
