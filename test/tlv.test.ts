import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codePointLength, ERROR_CODES, isQrisError, parse, QrisError, safeParse, serialize } from '../src/index.js';
import { parseWith } from '../src/codec/parse.js';
import { ScanContext } from '../src/codec/scan-context.js';
import type { ParsedQris, TlvInput, TlvNode } from '../src/index.js';
import corpus from '../fixtures/dev-payloads.json' with { type: 'json' };
import {
  asciiCharArb,
  astralCharArb,
  bmpCharArb,
  cpLength,
  crcHexRef,
  digitHeavyCharArb,
  encodeTree,
  type GenNode,
  loneSurrogateArb,
  mutatedPayloadArb,
  payloadArb,
  payloadCaseArb,
  staticQrisArb,
  staticQrisCaseArb,
  tlv,
  valueOf,
  withCrc,
} from './arbitraries.js';

const RUNS = { numRuns: 300 };

// ---- helpers -------------------------------------------------------------------------------------

function entry(test: (e: (typeof corpus)[number]) => boolean): (typeof corpus)[number] {
  const found = corpus.find(test);
  if (!found) throw new Error('corpus entry not found');
  return found;
}

function node(nodes: readonly TlvNode[], id: string): TlvNode {
  const n = nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
}

function* walk(nodes: readonly TlvNode[], path = ''): Generator<[string, TlvNode]> {
  for (const n of nodes) {
    const p = path ? `${path}/${n.id}` : n.id;
    yield [p, n];
    if (n.children) yield* walk(n.children, p);
  }
}

/** Every node's TLV text sits at its offset in the input as given. */
function expectOffsetsPointIntoInput(input: string, nodes: readonly TlvNode[]): void {
  for (const [, n] of walk(nodes)) {
    expect(input.slice(n.offset, n.offset + 2)).toBe(n.id);
    expect(input.startsWith(n.id + String(n.length).padStart(2, '0') + n.value, n.offset)).toBe(true);
  }
}

/** The parsed tree equals the generated one: same IDs, values, code-point lengths, nesting. */
function expectTreeMatches(nodes: readonly TlvNode[], gen: readonly GenNode[]): void {
  expect(nodes.map((n) => n.id)).toEqual(gen.map((g) => g.id));
  gen.forEach((g, i) => {
    const n = nodes[i]!;
    expect(n.value).toBe(valueOf(g));
    expect(n.length).toBe(cpLength(n.value));
    if (g.children) {
      expect(n.children).toBeDefined();
      expectTreeMatches(n.children!, g.children);
    } else {
      expect(n.children).toBeUndefined();
    }
  });
}

/** parse() either returns or throws a QrisError with a known code and an offset inside the input. */
function parseOrQrisError(input: string): ParsedQris | QrisError {
  try {
    return parse(input);
  } catch (e) {
    expect(e).toBeInstanceOf(QrisError);
    const err = e as QrisError;
    expect(isQrisError(err)).toBe(true);
    expect(Object.keys(ERROR_CODES)).toContain(err.code);
    expect(err.message.length).toBeGreaterThan(0);
    if (err.offset !== undefined) {
      expect(Number.isInteger(err.offset)).toBe(true);
      expect(err.offset).toBeGreaterThanOrEqual(0);
      expect(err.offset).toBeLessThanOrEqual(input.length);
    }
    if (err.tag !== undefined) expect(err.tag).toMatch(/^\d\d(\/\d\d)*$/);
    return err;
  }
}

/** What serialize(parse(x)) must give for any x that parse accepts: the payload, CRC in uppercase. */
function canonical(p: ParsedQris): string {
  return p.payload.slice(0, -4) + p.payload.slice(-4).toUpperCase();
}

// ---- round trip -------------------------------------------------------------------------------------

describe('round trip', () => {
  it('property: serialize(parse(x)) === x for generated payloads (random tags, nested templates, Unicode)', () => {
    fc.assert(
      fc.property(payloadArb, (x) => {
        expect(serialize(parse(x))).toBe(x);
      }),
      { numRuns: 500 },
    );
  });

  it('property: serialize(parse(x)) === x for generated static QRIS payloads', () => {
    fc.assert(
      fc.property(staticQrisArb, (x) => {
        expect(serialize(parse(x))).toBe(x);
      }),
      RUNS,
    );
  });

  it('property: parse gives exactly the generated tree (order kept, code-point lengths, templates nested, valid CRC)', () => {
    fc.assert(
      fc.property(fc.oneof(payloadCaseArb, staticQrisCaseArb), ({ payload, tree }) => {
        const p = parse(payload);
        expect(p.payload).toBe(payload);
        expect(p.start).toBe(0);
        expect(p.warnings).toEqual([]);
        expect(p.crc).toEqual({ declared: payload.slice(-4), computed: crcHexRef(payload.slice(0, -4)), valid: true });
        expect(p.nodes.at(-1)).toMatchObject({ id: '63', length: 4, value: payload.slice(-4), offset: payload.length - 8 });
        expectTreeMatches(p.nodes.slice(0, -1), tree);
      }),
      RUNS,
    );
  });

  it('property: every node (nested too) has payload.slice(offset, offset + 2) === id and its TLV text at offset', () => {
    fc.assert(
      fc.property(payloadArb, (x) => {
        expectOffsetsPointIntoInput(x, parse(x).nodes);
      }),
      RUNS,
    );
  });

  it('property: anything parse accepts re-serializes to the same payload (mutated inputs included)', () => {
    fc.assert(
      fc.property(mutatedPayloadArb, ({ mutated }) => {
        const r = parseOrQrisError(mutated);
        if (!(r instanceof QrisError)) expect(serialize(r)).toBe(canonical(r));
      }),
      RUNS,
    );
  });
});

// ---- robustness ---------------------------------------------------------------------------------------

describe('robustness: parse succeeds or throws QrisError, safeParse never throws', () => {
  const digitHeavy = fc.string({ unit: digitHeavyCharArb, maxLength: 300 });
  const anyUnit = fc.oneof(asciiCharArb, bmpCharArb, astralCharArb, loneSurrogateArb, digitHeavyCharArb);
  const inputs = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({ unit: anyUnit, maxLength: 300 }),
    digitHeavy,
    // Valid-looking heads and tails, so the scanner gets past the first object and reaches 63.
    fc
      .tuple(digitHeavy, fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFabcdefG'.split('')), minLength: 0, maxLength: 5 }))
      .map(([mid, crc]) => '000201' + mid + '6304' + crc),
    fc.tuple(fc.constantFrom(' ', '\n', '\r\n', '\t', ''), digitHeavy, fc.constantFrom(' ', '\n', '')).map(([a, m, b]) => a + '000201' + m + b),
  );

  it('property: for any string (ASCII, full Unicode, lone surrogates, digit-heavy) parse returns or throws QrisError', () => {
    fc.assert(
      fc.property(inputs, (s) => {
        parseOrQrisError(s);
      }),
      { numRuns: 500 },
    );
  });

  it('property: for random insert/delete/substitute/truncate mutations of valid payloads parse returns or throws QrisError', () => {
    fc.assert(
      fc.property(mutatedPayloadArb, ({ mutated }) => {
        parseOrQrisError(mutated);
      }),
      { numRuns: 500 },
    );
  });

  it('property: safeParse never throws; ok:false carries the QrisError parse would throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          inputs,
          mutatedPayloadArb.map((m) => m.mutated),
          payloadArb,
        ),
        (s) => {
          const r = safeParse(s);
          const direct = parseOrQrisError(s);
          if (r.ok) {
            expect(direct).not.toBeInstanceOf(QrisError);
            expect(r.value).toEqual(direct);
          } else {
            expect(r.error).toBeInstanceOf(QrisError);
            expect(direct).toBeInstanceOf(QrisError);
            expect(r.error.code).toBe((direct as QrisError).code);
            expect(r.error.offset).toBe((direct as QrisError).offset);
          }
        },
      ),
      RUNS,
    );
  });

  it('non-string inputs (null, undefined, number, object, array, String object) give QrisError NOT_A_STRING', () => {
    for (const bad of [null, undefined, 42, { payload: '000201' }, ['000201'], new String('000201'), Symbol('x'), 10n]) {
      let caught: unknown;
      try {
        parse(bad as unknown as string);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(QrisError);
      expect((caught as QrisError).code).toBe('NOT_A_STRING');
      const r = safeParse(bad as unknown as string);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('NOT_A_STRING');
    }
  });
});

// ---- single substitutions ---------------------------------------------------------------------------

/** Printable ASCII without space: a space at either end would be trimmed rather than substituted. */
const REPLACEMENTS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** The one substitution that must be accepted: re-casing a hex letter of the declared CRC. */
function isCrcHexRecase(payload: string, i: number, r: string): boolean {
  const c = payload[i]!;
  return i >= payload.length - 4 && c !== r && c.toLowerCase() === r.toLowerCase() && /[a-f]/i.test(r);
}

function substitute(s: string, i: number, r: string): string {
  return s.slice(0, i) + r + s.slice(i + 1);
}

describe('single-character substitutions', () => {
  // ASCII for ASCII changes exactly one UTF-8 byte, and CRC-16 detects every error burst of at most
  // 16 bits, so rejection is guaranteed, not probable. (Substitutions that change the UTF-8 length
  // are caught by the CRC only with probability 1 - 2^-16; the robustness properties cover them.)
  it('property: every ASCII-for-ASCII substitution of a valid payload is rejected (except re-casing a CRC hex letter: lowercase CRCs are accepted by design)', () => {
    const arb = fc.oneof(payloadArb, staticQrisArb).chain((p) => {
      const asciiPositions = [...p].length === p.length ? null : [...Array(p.length).keys()].filter((i) => p.charCodeAt(i) < 0x80);
      const pos = asciiPositions ? fc.constantFrom(...asciiPositions) : fc.integer({ min: 0, max: p.length - 1 });
      return fc.tuple(fc.constant(p), pos, fc.constantFrom(...REPLACEMENTS.split('')));
    });
    fc.assert(
      fc.property(arb, ([p, i, r]) => {
        fc.pre(p[i] !== r && !isCrcHexRecase(p, i, r));
        expect(() => parse(substitute(p, i, r))).toThrow(QrisError);
      }),
      { numRuns: 500 },
    );
  });

  it('every position of every CRC-valid ASCII corpus payload: three different substitutions each are rejected', () => {
    let tried = 0;
    for (const e of corpus.filter((x) => x.crc_valid)) {
      const p = e.payload;
      for (let i = 0; i < p.length; i++) {
        if (p.charCodeAt(i) >= 0x80) continue;
        const c = p[i]!;
        // A digit, a letter and a symbol, each different from the original character.
        const picks = [c === '7' ? '3' : '7', c === 'Q' ? 'Z' : 'Q', c === '#' ? '%' : '#'];
        if (i >= p.length - 4 && /[A-F]/.test(c)) picks.push(c === 'F' ? 'a' : 'f'); // other hex letter, other case
        for (const r of picks) {
          tried++;
          const r1 = safeParse(substitute(p, i, r));
          if (r1.ok) throw new Error(`accepted: ${JSON.stringify(substitute(p, i, r))} (position ${i}, ${c} -> ${r})`);
        }
      }
    }
    expect(tried).toBeGreaterThan(20_000);
  });

  it('the excluded case: re-casing a hex letter of the declared CRC is accepted, with a CRC_LOWERCASE warning', () => {
    const p = entry((e) => e.payload.endsWith('630458C7')).payload; // DANA static, CRC 58C7
    const lower = substitute(p, p.length - 2, 'c');
    expect(lower.slice(-8)).toBe('630458c7');
    const r = parse(lower);
    expect(r.crc).toEqual({ declared: '58c7', computed: '58C7', valid: true });
    expect(r.warnings.map((w) => w.code)).toEqual(['CRC_LOWERCASE']);
  });
});

// ---- whitespace, CRC case, templates, Unicode ---------------------------------------------------------

describe('input handling', () => {
  it('property: surrounding whitespace and a trailing newline are tolerated; offsets point into the input as given', () => {
    const ws = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r'), maxLength: 4 });
    fc.assert(
      fc.property(payloadArb, ws, ws, (p, before, after) => {
        const input = before + p + after;
        const r = parse(input);
        expect(r.payload).toBe(p);
        expect(r.start).toBe(before.length);
        expect(serialize(r)).toBe(p);
        expectOffsetsPointIntoInput(input, r.nodes);
        const plain = parse(p);
        expect(r.nodes.map((n) => n.offset)).toEqual(plain.nodes.map((n) => n.offset + before.length));
      }),
      RUNS,
    );
  });

  it('a payload with a trailing "\\r\\n" parses; an error in a padded payload reports the offset in the input as given', () => {
    const p = entry((e) => e.payload.endsWith('630458C7')).payload;
    expect(parse(p + '\r\n').payload).toBe(p);
    const bad = substitute(p, p.length - 1, '8'); // 58C8: wrong CRC
    const err = safeParse('\n  ' + bad + '\n');
    expect(err.ok).toBe(false);
    if (!err.ok) {
      expect(err.error.code).toBe('CRC_MISMATCH');
      expect(err.error.offset).toBe(3 + p.length - 4);
    }
  });

  it('whitespace inside the payload is data, not trimmed: a space before 6304 breaks the structure', () => {
    const p = entry((e) => e.payload.endsWith('630458C7')).payload;
    const withSpace = p.slice(0, -8) + ' ' + p.slice(-8);
    expect(() => parse(withSpace)).toThrow(QrisError);
  });

  it('lowercase declared CRC is accepted with one CRC_LOWERCASE warning pointing at the CRC; serialize writes uppercase', () => {
    const p = entry((e) => e.payload.endsWith('6304D7C5')).payload; // BNI VFS GLOBAL 6, CRC D7C5
    const lower = p.slice(0, -4) + p.slice(-4).toLowerCase();
    const r = parse(lower);
    expect(r.crc).toEqual({ declared: 'd7c5', computed: 'D7C5', valid: true });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ severity: 'warning', code: 'CRC_LOWERCASE', offset: p.length - 4, tag: '63' });
    expect(serialize(r)).toBe(p);
  });

  it('a template whose value is not TLV is kept raw with a TEMPLATE_NOT_TLV warning and round-trips exactly', () => {
    const body = tlv('00', '01') + tlv('26', 'HELLO WORLD') + tlv('52', '5812') + tlv('59', 'A');
    const x = withCrc(body);
    const r = parse(x);
    const t = node(r.nodes, '26');
    expect(t.value).toBe('HELLO WORLD');
    expect(t.children).toBeUndefined();
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ severity: 'warning', code: 'TEMPLATE_NOT_TLV', tag: '26' });
    expect(r.warnings[0]!.message).toContain('26');
    expect(serialize(r)).toBe(x);
  });

  it('a nested template (62/50) that is not TLV is kept raw inside a parsed 62', () => {
    const inner62 = tlv('01', 'INV-1') + tlv('50', '0003ABCDEFG') + tlv('07', 'T1');
    const x = withCrc(tlv('00', '01') + tlv('62', inner62));
    const r = parse(x);
    const t62 = node(r.nodes, '62');
    expect(t62.children?.map((c) => c.id)).toEqual(['01', '50', '07']);
    const t50 = node(t62.children!, '50');
    expect(t50.children).toBeUndefined();
    expect(t50.value).toBe('0003ABCDEFG');
    expect(r.warnings.map((w) => [w.code, w.tag])).toEqual([['TEMPLATE_NOT_TLV', '62/50']]);
    expect(serialize(r)).toBe(x);
  });

  it('a template whose value is empty has no children and no warning', () => {
    const x = withCrc(tlv('00', '01') + tlv('62', '') + tlv('80', ''));
    const r = parse(x);
    expect(r.warnings).toEqual([]);
    expect(serialize(r)).toBe(x);
  });

  it('non-template tags that look like TLV stay primitive: 62/05 = "0102AB", root 59 = "0102AB", 62/49 = "0002XY"', () => {
    const x = withCrc(tlv('00', '01') + tlv('59', '0102AB') + tlv('62', tlv('05', '0102AB') + tlv('49', '0002XY')));
    const r = parse(x);
    expect(node(r.nodes, '59')).toEqual({ id: '59', length: 6, value: '0102AB', offset: 6 });
    const c62 = node(r.nodes, '62').children!;
    expect(c62).toEqual([
      { id: '05', length: 6, value: '0102AB', offset: 20 },
      { id: '49', length: 6, value: '0002XY', offset: 30 },
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('children of a generic template (26) are primitive even when they look like TLV', () => {
    const x = withCrc(tlv('00', '01') + tlv('26', tlv('00', 'ID.CO.QRIS.WWW') + tlv('50', '0002AB')));
    const r = parse(x);
    expect(node(node(r.nodes, '26').children!, '50').children).toBeUndefined();
  });

  it('root IDs 65-99 are templates: 91 with TLV value has children', () => {
    const x = withCrc(tlv('00', '01') + tlv('65', '0002AB') + tlv('91', '0016A011223344998877'));
    const r = parse(x);
    expect(node(r.nodes, '65').children).toEqual([{ id: '00', length: 2, value: 'AB', offset: 10 }]);
    expect(node(r.nodes, '91').children?.[0]).toMatchObject({ id: '00', length: 16, value: 'A011223344998877' });
  });
});

describe('Unicode lengths', () => {
  it('the CN corpus entry: tag 64 children have code-point lengths (最佳运输 = 4, 北京 = 2) and offsets', () => {
    const p = entry((e) => e.country === 'CN').payload;
    const r = parse(p);
    const t64 = node(r.nodes, '64');
    expect(t64.length).toBe(20);
    expect(t64.children?.map((c) => [c.id, c.length, c.value])).toEqual([
      ['00', 2, 'ZH'],
      ['01', 4, '最佳运输'],
      ['02', 2, '北京'],
    ]);
    expect(p.indexOf('0104最佳运输')).toBe(t64.children![1]!.offset);
    expectOffsetsPointIntoInput(p, r.nodes);
    // CRC over UTF-8 bytes: the reference agrees with the declared value.
    expect(r.crc.declared).toBe(crcHexRef(p.slice(0, -4)));
  });

  it('an emoji in 59 counts as one character: "5906Kopi 😀" parses, "5907Kopi 😀" (UTF-16 count) does not', () => {
    const ok = withCrc('000201' + '5906Kopi 😀' + '6005Depok');
    const r = parse(ok);
    expect(node(r.nodes, '59')).toMatchObject({ length: 6, value: 'Kopi 😀' });
    // Offsets after an astral character are JS string indexes: 60 starts 2 code units after 59's 6 code points.
    expect(node(r.nodes, '60').offset).toBe(6 + 4 + 7);
    expect(ok.slice(node(r.nodes, '60').offset, node(r.nodes, '60').offset + 2)).toBe('60');
    expect(serialize(r)).toBe(ok);

    const wrong = withCrc('000201' + '5907Kopi 😀' + '6005Depok');
    expect(() => parse(wrong)).toThrow(QrisError);
  });

  it('codePointLength counts code points (astral = 1, lone surrogate = 1)', () => {
    expect(codePointLength('')).toBe(0);
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength('😀')).toBe(1);
    expect(codePointLength('a😀b')).toBe(3);
    expect(codePointLength('\uD800x')).toBe(2);
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(asciiCharArb, astralCharArb, bmpCharArb, loneSurrogateArb) }), (s) => {
        expect(codePointLength(s)).toBe([...s].length);
      }),
      RUNS,
    );
  });

  it('the 512 limit counts code points: a payload over 512 UTF-16 units but under 512 code points parses', () => {
    const emoji = '😀'.repeat(99);
    const x = withCrc('000201' + tlv('59', emoji) + tlv('60', emoji) + tlv('80', tlv('01', '😀'.repeat(95))) + tlv('81', tlv('01', '😀'.repeat(95))));
    expect(x.length).toBeGreaterThan(512);
    expect(cpLength(x)).toBeLessThanOrEqual(512);
    const r = parse(x);
    expect(serialize(r)).toBe(x);
    expectOffsetsPointIntoInput(x, r.nodes);
  });
});

describe('order and unknown tags', () => {
  it('unknown and reserved tags are kept, and unsorted order is preserved (PromptPay: 54 after 58)', () => {
    const p = entry((e) => e.payload.startsWith('00020101021229370016A000000677010111')).payload;
    const ids = parse(p).nodes.map((n) => n.id);
    expect(ids).toEqual(['00', '01', '29', '53', '58', '54', '63']);
    const x = withCrc('000201' + tlv('99', '0001X') + tlv('17', 'rfu') + tlv('05', 'mc') + tlv('54', '1') + tlv('52', '0742'));
    const r = parse(x);
    expect(r.nodes.map((n) => n.id)).toEqual(['00', '99', '17', '05', '54', '52', '63']);
    expect(node(r.nodes, '52').value).toBe('0742');
    expect(serialize(r)).toBe(x);
  });
});

// ---- serialize --------------------------------------------------------------------------------------

describe('serialize', () => {
  it('after changing 59 (to a longer, non-ASCII name) yields a valid payload with the new value and fresh length', () => {
    const p = entry((e) => e.payload.endsWith('630458C7')).payload;
    const r = parse(p);
    const edited = r.nodes.map((n): TlvInput => (n.id === '59' ? { id: '59', value: 'Warung Bu Sugeng 😀é' } : n));
    const out = serialize(edited);
    expect(out).toContain('5919Warung Bu Sugeng 😀é');
    expect(out.slice(-4)).toBe(crcHexRef(out.slice(0, -4)));
    const again = parse(out);
    expect(node(again.nodes, '59').value).toBe('Warung Bu Sugeng 😀é');
    expect(again.crc.valid).toBe(true);
    // Everything else unchanged, in the same order.
    expect(again.nodes.map((n) => n.id)).toEqual(r.nodes.map((n) => n.id));
    for (const n of r.nodes) if (n.id !== '59' && n.id !== '63') expect(node(again.nodes, n.id).value).toBe(n.value);
  });

  it('after adding a child to 62 yields a valid payload whose 62 holds the old children plus the new one', () => {
    const p = entry((e) => e.payload.endsWith('630404CB')).payload; // Telkom: 62 = 05 + 07
    const r = parse(p);
    const old62 = node(r.nodes, '62');
    const edited = r.nodes.map((n): TlvInput => (n.id === '62' ? { id: '62', children: [...n.children!, { id: '08', value: 'DMCT' }] } : n));
    const out = serialize(edited);
    const again = parse(out);
    const new62 = node(again.nodes, '62');
    expect(new62.children?.map((c) => [c.id, c.value])).toEqual([...old62.children!.map((c) => [c.id, c.value]), ['08', 'DMCT']]);
    expect(new62.length).toBe(old62.length + 8);
    expect(out.slice(-4)).toBe(crcHexRef(out.slice(0, -4)));
  });

  it('property: editing 59 of a generated payload gives a parseable payload with the edited value and a reference CRC', () => {
    fc.assert(
      fc.property(payloadArb, fc.string({ unit: fc.oneof(asciiCharArb, astralCharArb), minLength: 1, maxLength: 20 }), (x, name) => {
        const r = parse(x);
        const has59 = r.nodes.some((n) => n.id === '59');
        const nodes: TlvInput[] = has59
          ? r.nodes.map((n) => (n.id === '59' ? { id: '59', value: name } : n))
          : [...r.nodes.slice(0, -1), { id: '59', value: name }];
        const out = serialize(nodes);
        fc.pre(cpLength(out) <= 512);
        expect(out.slice(-4)).toBe(crcHexRef(out.slice(0, -4)));
        expect(node(parse(out).nodes, '59').value).toBe(name);
      }),
      RUNS,
    );
  });

  it('appends 6304 and the CRC when 63 is absent', () => {
    const nodes: TlvInput[] = [
      { id: '00', value: '01' },
      { id: '01', value: '11' },
      { id: '26', children: [{ id: '00', value: 'ID.CO.QRIS.WWW' }] },
      { id: '59', value: 'A' },
    ];
    const out = serialize(nodes);
    const expected = encodeTree([
      { id: '00', value: '01' },
      { id: '01', value: '11' },
      { id: '26', children: [{ id: '00', value: 'ID.CO.QRIS.WWW' }] },
      { id: '59', value: 'A' },
    ]);
    expect(out).toBe(expected);
    expect(out).toBe('000201010211261800' + '14ID.CO.QRIS.WWW' + '5901A' + '6304' + crcHexRef('000201010211261800' + '14ID.CO.QRIS.WWW' + '5901A6304'));
    expect(parse(out).crc.valid).toBe(true);
  });

  it('recomputes a stale 63: a tree with a wrong CRC value serializes with the right one', () => {
    const out = serialize([
      { id: '00', value: '01' },
      { id: '59', value: 'A' },
      { id: '63', value: 'FFFF' },
    ]);
    expect(out).toBe(withCrc('0002015901A'));
  });

  it('a raw (TEMPLATE_NOT_TLV) template keeps its value when serialized inside an edited tree', () => {
    const x = withCrc(tlv('00', '01') + tlv('81', '00480065') + tlv('59', 'A'));
    const r = parse(x);
    const out = serialize(r.nodes.map((n): TlvInput => (n.id === '59' ? { id: '59', value: 'B' } : n)));
    expect(out).toBe(withCrc(tlv('00', '01') + tlv('81', '00480065') + tlv('59', 'B')));
  });
});

// ---- linear time -------------------------------------------------------------------------------------

/**
 * A scan context whose bytes count every indexed read: the ASCII scanner and the CRC read the
 * payload through `ctx.bytes` (a typed array, which a String.prototype patch never sees), so this is
 * where their work is observed. The real bytes are swapped back in before each encode.
 */
class CountingContext extends ScanContext {
  reads = 0;
  private real: Uint8Array | undefined;

  override encode(s: string): number {
    if (this.real !== undefined) this.bytes = this.real;
    const n = super.encode(s);
    const real = (this.real = this.bytes);
    this.bytes = new Proxy(real, {
      get: (target, key): unknown => {
        if (typeof key === 'string' && key.charCodeAt(0) <= 57) this.reads++; // an index: "0".."9"...
        return Reflect.get(target, key);
      },
    });
    return n;
  }
}

/**
 * Deterministic work count of `fn`: every byte the scanner and CRC read from the context, plus every
 * `charCodeAt` call and every character a `slice` copies (the non-ASCII scanner reads the string).
 * String.prototype is patched only while `fn` runs (synchronously), then restored.
 */
function work(ctx: CountingContext, fn: () => void): number {
  const proto = String.prototype;
  /* eslint-disable @typescript-eslint/unbound-method -- the originals are kept to restore and .call() */
  const cca = proto.charCodeAt;
  const sl = proto.slice;
  /* eslint-enable @typescript-eslint/unbound-method */
  let n = 0;
  proto.charCodeAt = function (this: string, i: number): number {
    n++;
    return cca.call(this, i);
  };
  proto.slice = function (this: string, a?: number, b?: number): string {
    const r = sl.call(this, a, b);
    n += r.length;
    return r;
  };
  ctx.reads = 0;
  try {
    fn();
  } finally {
    proto.charCodeAt = cca;
    proto.slice = sl;
  }
  return n + ctx.reads;
}

/** A valid payload of about `size` characters made of many tiny objects inside templates 65-99. */
function manyObjects(size: number, unit: string): string {
  const nodes: GenNode[] = [{ id: '00', value: '01' }];
  const child = 4 + cpLength(unit);
  let total = 6 + 8;
  for (let id = 65; id <= 99 && total + 4 + child <= size; id++) {
    const children: GenNode[] = [];
    for (let c = 0; c < 19 && total + 4 + (children.length + 1) * child <= size; c++) children.push({ id: String(c).padStart(2, '0'), value: unit });
    nodes.push({ id: String(id), children });
    total += 4 + children.length * child;
  }
  return encodeTree(nodes);
}

describe('linear time (deterministic work count, not wall clock)', () => {
  it('parse reads each byte a bounded number of times: work per character from 1x (32 characters) to 16x (512) stays within 2x, for ASCII and non-ASCII', () => {
    const ctx = new CountingContext();
    for (const unit of ['A', 'é', '😀']) {
      const sizes = [32, 64, 128, 256, 512];
      const perChar = sizes.map((size) => {
        const p = manyObjects(size, unit);
        const tree = parseWith(ctx, p); // throws if the generator made a bad payload
        expect(tree.nodes.length).toBeGreaterThan(size > 100 ? 2 : 0);
        return work(ctx, () => parseWith(ctx, p)) / p.length;
      });
      // Linear: per-character work stays flat (measured 4.3-4.8 for ASCII, 5.0-8.1 with emoji, whose
      // share of the payload grows with it). A quadratic scanner (rescanning the level for every
      // object) makes it grow with the size: about 16x from the first size to the last.
      expect(Math.max(...perChar.slice(1))).toBeLessThanOrEqual(perChar[0]! * 2);
      expect(perChar[perChar.length - 1]!).toBeLessThan(12);
      if (unit === 'A') expect(ctx.reads).toBeGreaterThan(0); // the byte scanner really ran on the counted bytes
    }
  });

  it('serialize work per character stays flat from ~100 to 512 characters', () => {
    const ctx = new CountingContext();
    for (const unit of ['A', 'é', '😀']) {
      const ratios = [120, 230, 330, 440, 512].map((size) => {
        const tree = parse(manyObjects(size, unit));
        return work(ctx, () => serialize(tree)) / tree.payload.length;
      });
      expect(Math.max(...ratios)).toBeLessThan(Math.min(...ratios) * 1.5);
      expect(Math.max(...ratios)).toBeLessThan(30);
    }
  });

  it('rejecting long inputs costs work linear in the input (1k to 100k characters)', () => {
    const cases: ((n: number) => string)[] = [
      (n) => '0'.repeat(n),
      (n) => '000201' + '😀'.repeat(n / 2),
      (n) => ' '.repeat(n) + '000201' + ' '.repeat(n),
      (n) => '0000'.repeat(n / 4),
    ];
    const ctx = new CountingContext();
    for (const make of cases) {
      const ratios = [1_000, 10_000, 100_000].map((n) => {
        const s = make(n);
        return (
          work(ctx, () => {
            try {
              parseWith(ctx, s);
            } catch (e) {
              if (!(e instanceof QrisError)) throw e;
            }
          }) / s.length
        );
      });
      expect(Math.max(...ratios)).toBeLessThan(4);
    }
  });
});
