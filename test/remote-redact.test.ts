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
    // Cyrillic can be in no form of the key, nor fold into one (Latin Extended can: ſ is an s, ĳ is ij).
    const other = fc.string({ maxLength: 60, unit: fc.integer({ min: 0x410, max: 0x44f }).map((c) => String.fromCharCode(c)) });
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

// ---- what a server may do to the key (issue 19): checked with a normaliser written here -----------

/** The text a reader would reconstruct: entities decoded, NFKC, lower case, letters and digits only. */
function flat(t: string): string {
  const decoded = t.replace(/&(?:amp;)*(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (_m, e: string) =>
    e.startsWith('#') ? String.fromCodePoint(e[1]!.toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : '',
  );
  return decoded
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}
/** Whether `out`, read between its [redacted] marks, still spells FRAGMENT consecutive characters of the key. */
const spells = (out: string, k: string): boolean => {
  const fk = flat(k);
  return out.split(REDACTED).some((part) => {
    const fp = flat(part);
    for (let i = 0; i + FRAGMENT <= fk.length; i++) if (fp.includes(fk.slice(i, i + FRAGMENT))) return true;
    return false;
  });
};

const alnumKey = fc
  .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), { minLength: 16, maxLength: 40 })
  .map((a) => a.join(''));
const SEPARATORS = ['-', ' ', '.', '_', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u3000', '&nbsp;', '&#8203;', '&zwj;', '·', '/'];
const CHAR_FORMS: readonly ((c: string) => string)[] = [
  (c) => c,
  (c) => c.toUpperCase(),
  (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0), // full width
  (c) => `&#${c.charCodeAt(0)};`,
  (c) => `&#x${c.charCodeAt(0).toString(16)};`,
  (c) => `&amp;#${c.charCodeAt(0)};`,
];
/** The key with each character in one of CHAR_FORMS and a separator every `every` characters. */
const disguised = fc
  .record({
    k: alnumKey,
    every: fc.integer({ min: 1, max: 9 }),
    sep: fc.constantFrom(...SEPARATORS),
    forms: fc.array(fc.integer({ min: 0, max: CHAR_FORMS.length - 1 }), { minLength: 40, maxLength: 40 }),
  })
  .map(({ k, every, sep, forms }) => ({
    k,
    text: [...k].map((c, i) => CHAR_FORMS[forms[i]!]!(c) + ((i + 1) % every === 0 && i + 1 < k.length ? sep : '')).join(''),
  }));
/** Words no key above can be made of (Cyrillic), for text around the key. */
const around = fc.array(fc.constantFrom('Ключ', 'неверный', 'ошибка', ': ', ' ', '«', '»'), { maxLength: 5 }).map((a) => a.join(''));

describe('createRedactor: a key broken up or disguised by the server', () => {
  it('property: separators every 1-9 characters, zero-width characters, full-width letters and HTML entities in any mix are redacted; the text around is kept', () => {
    fc.assert(
      fc.property(disguised, around, around, ({ k, text }, a, b) => {
        const out = createRedactor(k)(a + text + b);
        expect(spells(out, k)).toBe(false);
        expect(out.startsWith(a)).toBe(true);
        expect(out.endsWith(b)).toBe(true);
        expect(out).toContain(REDACTED);
      }),
      { numRuns: 400 },
    );
  });

  it('the cases from the issue, one by one', () => {
    const k = 'sk_live_9f8e7d6c5b4a3921';
    const r = createRedactor(k);
    const cases = [
      'sk_live_-9f8e7d6c-5b4a3921', // dashes every 8 characters
      [...k].join('\u200b'), // zero-width spaces
      [...k].map((c) => `&#${c.charCodeAt(0)};`).join(''), // HTML entities
      'ｓｋ＿ｌｉｖｅ＿９ｆ８ｅ７ｄ６ｃ５ｂ４ａ３９２１', // full-width letters
      'SK-LIVE-9F8E-7D6C-5B4A-3921',
      'sk.live.9f8e.7d6c.5b4a.3921',
    ];
    for (const c of cases) {
      const out = r(`Invalid key ${c}.`);
      expect(out, c).toBe(`Invalid key ${REDACTED}.`);
    }
  });

  it('property: pieces under 10 characters spread over fields, in order, with other fields between, are all redacted', () => {
    const cut = fc.record({
      k: alnumKey,
      sizes: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 40, maxLength: 40 }),
      // Other fields: words and numbers. (A string field that is itself a piece of the key, "42" in a
      // key holding 42, would count as a piece and break the run: a known limit, see redact.ts.)
      noise: fc.array(fc.constantFrom<string | number>('', 'ошибка', 'Ключ неверный', 42, 0), { minLength: 40, maxLength: 40 }),
      nest: fc.boolean(),
    });
    fc.assert(
      fc.property(cut, ({ k, sizes, noise, nest }) => {
        const pieces: string[] = [];
        for (let at = 0, i = 0; at < k.length; i++) {
          pieces.push(k.slice(at, at + sizes[i]!));
          at += sizes[i]!;
        }
        const fields: Record<string, string | number> = { сообщение: 'Ключ неверный' };
        pieces.forEach((p, i) => {
          fields[`часть${'абвгдежзийклмнопрстуфхцчшщъыьэюя'[i]}`] = p;
          if (noise[i] !== '') fields[`шум${'абвгдежзийклмнопрстуфхцчшщъыьэюя'[i]}`] = noise[i]!;
        });
        const body = nest ? { success: false, data: { error: fields } } : fields;
        const out = redactDeep(body, createRedactor(k)) as Record<string, unknown>;
        const got = nest ? (out['data'] as { error: Record<string, unknown> }).error : out;
        for (const [name, value] of Object.entries(fields)) {
          if (name.startsWith('часть')) expect(got[name], `${name}=${value}`).toContain(REDACTED);
          else expect(got[name]).toBe(value);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: a key never redacts text made of other characters, however it is spaced or encoded', () => {
    const key = fc.array(fc.constantFrom(...'abcdefgh01234_-'), { minLength: 12, maxLength: 32 }).map((a) => a.join(''));
    const unit = fc.constantFrom(...'ijklmnopqrstuvwxyz56789 .-_', '\u200b', 'Ｘ', 'ｙ', '&#120;', '&amp;', '&nbsp;', 'Ключ', '\u00ad', 'ſ');
    const text = fc.array(unit, { maxLength: 120 }).map((a) => a.join(''));
    fc.assert(
      fc.property(key, text, fc.array(text, { maxLength: 6 }), (k, t, ts) => {
        fc.pre(flat(k).length >= 8);
        const r = createRedactor(k);
        expect(r(t)).toBe(t);
        expect(r.finds(t)).toBe(false);
        expect(r.many(ts)).toEqual(ts);
      }),
      { numRuns: 300 },
    );
  });

  it('redaction stays linear on hostile large texts (near-misses, entity chains, zero-width floods, full width)', () => {
    const k = 'sk_live_0123456789abcdef';
    const r = createRedactor(k);
    const hostile = (n: number): string[] => [
      'sk_live_012345678x'.repeat(n / 18), // one short of a window, over and over
      '&amp;'.repeat(n / 5),
      '&#8203;s\u200bk'.repeat(n / 10),
      'ｓｋ＿ｌｉｖｅ＿０１２３４５６７８'.repeat(n / 17),
      'a'.repeat(n),
    ];
    const time = (n: number): number => {
      const t = performance.now();
      for (const s of hostile(n)) r(s);
      return performance.now() - t;
    };
    time(1 << 14); // warm-up
    const small = time(1 << 17);
    const large = time(1 << 19); // 4x the input
    console.info(`redaction: 5 hostile texts, 128 Ki chars ${small.toFixed(0)} ms, 512 Ki chars ${large.toFixed(0)} ms`);
    expect(large).toBeLessThan(3_000);
    // Linear would be 4x; quadratic 16x. Room for GC and a busy machine.
    expect(large / Math.max(small, 1)).toBeLessThan(9);
  });
});
