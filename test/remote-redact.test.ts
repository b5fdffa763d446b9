// The API-key redactor: properties over random keys and texts, checked with encoders written here
// (Buffer), not with the redactor's own.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor, FRAGMENT, REDACTED, redactCut, redactDeep } from '../src/remote/redact.js';

/** Keys as a header can carry them: Latin-1 without control characters, no outer spaces. */
const latin1Char = fc.oneof(fc.integer({ min: 0x21, max: 0x7e }), fc.integer({ min: 0xa1, max: 0xff })).map((c) => String.fromCharCode(c));
const key = fc.array(latin1Char, { minLength: FRAGMENT, maxLength: 48 }).map((a) => a.join(''));
const text = fc.string({ maxLength: 80, unit: 'binary' });

/** Every FRAGMENT-long window of `form`, lower-cased. */
const windows = (form: string): string[] => Array.from({ length: form.length - FRAGMENT + 1 }, (_, i) => form.slice(i, i + FRAGMENT).toLowerCase());
const holdsAny = (out: string, form: string): boolean => windows(form).some((w) => out.toLowerCase().includes(w));

describe('createRedactor', () => {
  it('property: the key, in any ASCII case, anywhere in any text, leaves no 10-character run behind', () => {
    fc.assert(
      fc.property(key, text, text, fc.boolean(), (k, a, b, upper) => {
        const r = createRedactor(k);
        const echoed = upper ? k.replace(/[a-z]/g, (c) => c.toUpperCase()) : k;
        const out = r(a + echoed + b);
        expect(out).toContain(REDACTED);
        expect(holdsAny(out.split(REDACTED).join('\u0000'), k)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('property: base64 of the key inside any bytes, URL-encoding and hex are caught', () => {
    fc.assert(
      fc.property(key, fc.uint8Array({ maxLength: 20 }), fc.uint8Array({ maxLength: 20 }), (k, pre, post) => {
        const r = createRedactor(k);
        const bytes = Buffer.from(k, 'latin1');
        const b64 = Buffer.concat([pre, bytes, post]).toString('base64');
        // The key's own base64, at the alignment it has here, minus the edge characters it shares.
        const lead = pre.length % 3;
        const own = Buffer.concat([Buffer.alloc(lead), bytes])
          .toString('base64')
          .slice(Math.ceil((lead * 8) / 6), Math.floor(((lead + bytes.length) * 8) / 6));
        const out = r(b64).split(REDACTED).join('\u0000');
        if (own.length >= FRAGMENT) expect(holdsAny(out, own)).toBe(false);
        expect(r(encodeURIComponent(k))).toBe(REDACTED);
        expect(r(bytes.toString('hex'))).toBe(REDACTED);
      }),
      { numRuns: 300 },
    );
  });

  it('property: exactly the key is replaced; text around it is kept as it was', () => {
    // Characters outside Latin-1 can be in no form of the key (all forms are Latin-1 or ASCII).
    const other = fc.string({ maxLength: 60, unit: fc.integer({ min: 0x100, max: 0x24f }).map((c) => String.fromCharCode(c)) });
    fc.assert(
      fc.property(key, other, other, (k, a, b) => {
        const r = createRedactor(k);
        expect(r(a + b)).toBe(a + b);
        expect(r.finds(a + b)).toBe(false);
        expect(r(a + k + b)).toBe(a + REDACTED + b);
        expect(r(a + k + 'ł' + b + k)).toBe(a + REDACTED + 'ł' + b + REDACTED);
      }),
      { numRuns: 300 },
    );
    const r = createRedactor('sk_live_0123456789abcdef');
    expect(r('Invalid API key. Use the X-API-Key header.')).toBe('Invalid API key. Use the X-API-Key header.');
  });

  it('redactCut redacts before it cuts: a key across the cut leaves nothing behind', () => {
    const k = 'sk_live_0123456789abcdefghij';
    const r = createRedactor(k);
    for (let at = 0; at < 60; at++) {
      const out = redactCut('x'.repeat(at) + k + 'y'.repeat(100), r, 40);
      expect(out.length).toBeLessThanOrEqual(40);
      expect(holdsAny(out, k)).toBe(false);
      expect(out.includes(k.slice(0, 10))).toBe(false);
    }
  });

  it('redactDeep copies keys and values, and stops at 32 levels without overflowing', () => {
    const k = 'sk_live_0123456789abcdefghij';
    const r = createRedactor(k);
    expect(redactDeep({ [k]: [k, 1, null, { a: `x${k}` }] }, r)).toEqual({ [REDACTED]: [REDACTED, 1, null, { a: `x${REDACTED}` }] });
    let deep: unknown = k;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(JSON.stringify(redactDeep(deep, r))).toContain('[nested too deep]');
    const proto = JSON.parse('{"__proto__": {"polluted": 1}}') as object;
    const copy = redactDeep(proto, r) as Record<string, unknown>;
    expect(Object.keys(copy)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
