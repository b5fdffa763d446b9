import { describe, expect, expectTypeOf, it } from 'vitest';
import { ERROR_CODES, isQrisError, parse, QrisError, safeParse, serialize, validate, VALIDATION_CODES } from '../src/index.js';
import type { IssueCode, ParseWarningCode, QrisErrorCode, QrisIssue, TlvInput, ValidationCode } from '../src/index.js';
import { callerThrew, describeValue, quote, QUOTE_MAX } from '../src/errors.js';
import corpus from '../fixtures/dev-payloads.json' with { type: 'json' };
import { crcHexRef, tlv, withCrc } from './arbitraries.js';
import { thrown } from './expect-error.js';

interface Case {
  readonly name: string;
  readonly code: QrisErrorCode;
  readonly run: () => unknown;
  /** `undefined` asserts that the error carries no offset / tag. */
  readonly offset: number | undefined;
  readonly tag: string | undefined;
  readonly expected?: string;
  readonly actual?: string;
}

const P = (input: unknown) => () => parse(input as string);
const S = (nodes: unknown) => () => serialize(nodes as TlvInput[]);

const mismatch = '000201' + tlv('59', 'Toko') + '6304' + '0000';
const mismatchComputed = crcHexRef(mismatch.slice(0, -4));

// 4097 characters: 40 templates of 103 (4120) would pass the cap, so 39 and one cut to fit.
const longBody = '000201' + Array.from({ length: 39 }, (_, i) => tlv(String(10 + i), 'x'.repeat(99))).join('');
const long4097 = withCrc(longBody + tlv('60', 'x'.repeat(4097 - longBody.length - 4 - 8)));

const CASES: readonly Case[] = [
  // parse: input shape
  { name: 'parse(null)', code: 'NOT_A_STRING', run: P(null), offset: undefined, tag: undefined },
  { name: 'parse(42)', code: 'NOT_A_STRING', run: P(42), offset: undefined, tag: undefined },
  { name: 'parse({})', code: 'NOT_A_STRING', run: P({}), offset: undefined, tag: undefined },
  { name: 'parse("")', code: 'EMPTY_INPUT', run: P(''), offset: undefined, tag: undefined },
  { name: 'whitespace only', code: 'EMPTY_INPUT', run: P(' \r\n\t '), offset: undefined, tag: undefined },
  // 4097+ characters (the library's cap; 513-4096 parse): the offset is the first character past it.
  { name: 'payload over 4096 characters', code: 'TOO_LONG', run: P(long4097), offset: 4096, tag: undefined },
  { name: 'over 4096 after 2 leading spaces', code: 'TOO_LONG', run: P('  ' + long4097), offset: 4098, tag: undefined },
  { name: 'a 10 MB string, refused before any scan', code: 'TOO_LONG', run: P('0'.repeat(10_000_000)), offset: 4096, tag: undefined },
  // TLV structure (root errors carry no tag: the ID itself is what is broken)
  { name: 'non-digit ID at the root', code: 'BAD_ID', run: P('000201X10111'), offset: 6, tag: undefined },
  { name: 'non-digit ID after a space-padded start', code: 'BAD_ID', run: P('\n000201X10111'), offset: 7, tag: undefined },
  { name: 'non-digit length', code: 'BAD_LENGTH', run: P('00020159 9Warung Sayu'), offset: 8, tag: '59' },
  { name: 'length with a letter', code: 'BAD_LENGTH', run: P('00020159A1x6304ABCD'), offset: 8, tag: '59' },
  { name: 'header cut after the ID', code: 'TRUNCATED', run: P('00020159'), offset: 6, tag: undefined },
  { name: 'value shorter than its length', code: 'TRUNCATED', run: P('0002015910Toko'), offset: 6, tag: '59' },
  { name: 'length counted in UTF-16 units for an emoji (one character short)', code: 'TRUNCATED', run: P('0002015903😀x'), offset: 6, tag: '59' },
  { name: 'duplicate root ID (with a correct CRC)', code: 'DUPLICATE_ID', run: P(withCrc('000201' + '5901A' + '6001B' + '5901C')), offset: 16, tag: '59' },
  // position rules (correct CRCs, so only the rule is broken)
  { name: 'no 00 at all', code: 'PFI_MISSING', run: P(withCrc('0102115901A')), offset: 0, tag: '00' },
  { name: '00 second', code: 'PFI_NOT_FIRST', run: P(withCrc('010211000201')), offset: 6, tag: '00' },
  { name: 'no 63 at all', code: 'CRC_MISSING', run: P('0002015901A'), offset: 11, tag: '63' },
  { name: 'no 63, trailing newline', code: 'CRC_MISSING', run: P('0002015901A\n'), offset: 11, tag: '63' },
  { name: '63 before 59', code: 'CRC_NOT_LAST', run: P('0002016304ABCD5901A'), offset: 6, tag: '63' },
  { name: '63 with length 03', code: 'CRC_BAD_LENGTH', run: P('0002016303ABC'), offset: 8, tag: '63' },
  { name: '63 with length 05', code: 'CRC_BAD_LENGTH', run: P('0002016305ABCDE'), offset: 8, tag: '63' },
  { name: '63 not hex', code: 'CRC_BAD_FORMAT', run: P('0002016304GHIJ'), offset: 10, tag: '63' },
  { name: '63 with fullwidth digits (4 characters, not hex)', code: 'CRC_BAD_FORMAT', run: P('0002016304１２３４'), offset: 10, tag: '63' },
  {
    name: 'wrong CRC',
    code: 'CRC_MISMATCH',
    run: P(mismatch),
    offset: mismatch.length - 4,
    tag: '63',
    expected: mismatchComputed,
    actual: '0000',
  },
  {
    name: 'wrong lowercase CRC keeps the declared case in actual',
    code: 'CRC_MISMATCH',
    run: P('000201' + tlv('59', 'Toko') + '6304abcd'),
    offset: mismatch.length - 4,
    tag: '63',
    expected: mismatchComputed,
    actual: 'abcd',
  },
  // serialize
  {
    name: 'serialize: 59 of 100 characters',
    code: 'VALUE_TOO_LONG',
    run: S([
      { id: '00', value: '01' },
      { id: '59', value: 'x'.repeat(100) },
    ]),
    offset: undefined,
    tag: '59',
  },
  {
    name: 'serialize: 100 emoji (100 code points)',
    code: 'VALUE_TOO_LONG',
    run: S([
      { id: '00', value: '01' },
      { id: '59', value: '😀'.repeat(100) },
    ]),
    offset: undefined,
    tag: '59',
  },
  {
    name: 'serialize: nested 62/05 of 100 characters',
    code: 'VALUE_TOO_LONG',
    run: S([
      { id: '00', value: '01' },
      { id: '62', children: [{ id: '05', value: 'r'.repeat(100) }] },
    ]),
    offset: undefined,
    tag: '62/05',
  },
  {
    name: 'serialize: children that add up to more than 99 characters',
    code: 'VALUE_TOO_LONG',
    run: S([
      { id: '00', value: '01' },
      {
        id: '62',
        children: [
          { id: '05', value: 'r'.repeat(50) },
          { id: '07', value: 't'.repeat(50) },
        ],
      },
    ]),
    offset: undefined,
    tag: '62',
  },
  {
    name: 'serialize: one-digit ID',
    code: 'BAD_ID',
    run: S([
      { id: '00', value: '01' },
      { id: '5', value: 'x' },
    ]),
    offset: undefined,
    tag: undefined,
  },
  {
    name: 'serialize: letters as ID',
    code: 'BAD_ID',
    run: S([
      { id: '00', value: '01' },
      { id: 'AB', value: 'x' },
    ]),
    offset: undefined,
    tag: undefined,
  },
  {
    name: 'serialize: numeric ID',
    code: 'BAD_ID',
    run: S([
      { id: '00', value: '01' },
      { id: 59, value: 'x' },
    ]),
    offset: undefined,
    tag: undefined,
  },
  {
    name: 'serialize: bad child ID reports the parent',
    code: 'BAD_ID',
    run: S([
      { id: '00', value: '01' },
      { id: '62', children: [{ id: '7', value: 'x' }] },
    ]),
    offset: undefined,
    tag: '62',
  },
  {
    name: 'serialize: duplicate ID',
    code: 'DUPLICATE_ID',
    run: S([
      { id: '00', value: '01' },
      { id: '59', value: 'a' },
      { id: '59', value: 'b' },
    ]),
    offset: undefined,
    tag: '59',
  },
  { name: 'serialize: no 00', code: 'PFI_MISSING', run: S([{ id: '59', value: 'a' }]), offset: undefined, tag: '00' },
  { name: 'serialize: empty list', code: 'PFI_MISSING', run: S([]), offset: undefined, tag: '00' },
  {
    name: 'serialize: 00 second',
    code: 'PFI_NOT_FIRST',
    run: S([
      { id: '59', value: 'a' },
      { id: '00', value: '01' },
    ]),
    offset: undefined,
    tag: '00',
  },
  {
    name: 'serialize: 63 not last',
    code: 'CRC_NOT_LAST',
    run: S([
      { id: '00', value: '01' },
      { id: '63', value: 'ABCD' },
      { id: '59', value: 'a' },
    ]),
    offset: undefined,
    tag: '63',
  },
  {
    name: 'serialize: over 4096 characters',
    code: 'TOO_LONG',
    run: S([{ id: '00', value: '01' }, ...Array.from({ length: 45 }, (_, i) => ({ id: String(10 + i), value: 'v'.repeat(90) }))]),
    offset: undefined,
    tag: undefined,
  },
  { name: 'serialize: neither value nor children', code: 'BAD_FIELD', run: S([{ id: '00', value: '01' }, { id: '59' }]), offset: undefined, tag: '59' },
  { name: 'serialize: not a tree', code: 'BAD_FIELD', run: () => serialize('000201' as unknown as TlvInput[]), offset: undefined, tag: undefined },
];

describe('every core error code comes from a real input, with code, offset and tag', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const err = thrown(c.run);
    expect(err.code).toBe(c.code);
    expect(err.offset).toBe(c.offset);
    expect(err.tag).toBe(c.tag);
    if (c.expected !== undefined) expect(err.expected).toBe(c.expected);
    if (c.actual !== undefined) expect(err.actual).toBe(c.actual);
    // Human-readable: a sentence, naming the tag and the offset where they apply.
    expect(err.message.length).toBeGreaterThan(10);
    expect(err.message).not.toMatch(/undefined|\[object/);
    if (c.tag !== undefined) expect(err.message).toContain(c.tag);
    if (c.offset !== undefined) expect(err.message).toContain(String(c.offset));
    expect(err.name).toBe('QrisError');
    expect(err).toBeInstanceOf(Error);
  });

  it('the table covers every code of the core codec, from parse and from serialize', () => {
    const parseCodes: QrisErrorCode[] = [
      'NOT_A_STRING',
      'EMPTY_INPUT',
      'TOO_LONG',
      'BAD_ID',
      'BAD_LENGTH',
      'TRUNCATED',
      'DUPLICATE_ID',
      'PFI_MISSING',
      'PFI_NOT_FIRST',
      'CRC_MISSING',
      'CRC_NOT_LAST',
      'CRC_BAD_LENGTH',
      'CRC_BAD_FORMAT',
      'CRC_MISMATCH',
    ];
    const serializeCodes: QrisErrorCode[] = ['VALUE_TOO_LONG', 'BAD_ID'];
    const fromParse = new Set(CASES.filter((c) => !c.name.startsWith('serialize')).map((c) => c.code));
    const fromSerialize = new Set(CASES.filter((c) => c.name.startsWith('serialize')).map((c) => c.code));
    for (const code of parseCodes) expect(fromParse, code).toContain(code);
    for (const code of serializeCodes) expect(fromSerialize, code).toContain(code);
  });

  it('CRC_MISMATCH: expected is the CRC of the content, actual the declared one; verifyCrc:false reports instead of throwing', () => {
    const err = thrown(P(mismatch));
    expect(err.expected).toBe(crcHexRef(mismatch.slice(0, -4)));
    expect(err.actual).toBe('0000');
    expect(err.message).toContain('0000');
    expect(err.message).toContain(err.expected!);
    const r = parse(mismatch, { verifyCrc: false });
    expect(r.crc).toEqual({ declared: '0000', computed: mismatchComputed, valid: false });
    // verifyCrc:false relaxes only the CRC value: structure is still checked.
    expect(thrown(() => parse('0002016304GHIJ', { verifyCrc: false })).code).toBe('CRC_BAD_FORMAT');
  });

  it('safeParse returns the same error as data instead of throwing', () => {
    const r = safeParse('0002015901A');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toBeInstanceOf(QrisError);
      expect(r.error.code).toBe('CRC_MISSING');
    }
  });
});

describe('QrisError', () => {
  it('toJSON keeps code, message, offset, tag, expected, actual and omits absent ones', () => {
    const err = thrown(P(mismatch));
    const json = JSON.parse(JSON.stringify(err)) as Record<string, unknown>;
    expect(json).toEqual({ code: 'CRC_MISMATCH', message: err.message, offset: mismatch.length - 4, tag: '63', expected: mismatchComputed, actual: '0000' });
    const plain = JSON.parse(JSON.stringify(thrown(P(null)))) as Record<string, unknown>;
    expect(Object.keys(plain).sort()).toEqual(['code', 'message']);
  });

  it('a message without details is the documented text for the code', () => {
    const e = new QrisError('BAD_AMOUNT');
    expect(e.message).toBe(ERROR_CODES.BAD_AMOUNT);
    expect(e.offset).toBeUndefined();
    expect(new QrisError('BAD_ID', undefined, { tag: '62', offset: 3 }).message).toBe(`${ERROR_CODES.BAD_ID} (tag 62, offset 3)`);
  });

  it('keeps a cause', () => {
    const cause = new Error('inner');
    expect(new QrisError('FETCH_FAILED', 'x', { cause }).cause).toBe(cause);
  });

  it('isQrisError recognises instances and look-alikes from another module copy, and nothing else', () => {
    expect(isQrisError(new QrisError('BAD_ID'))).toBe(true);
    const foreign = Object.assign(new Error('x'), { name: 'QrisError', code: 'BAD_ID' });
    expect(isQrisError(foreign)).toBe(true);
    expect(isQrisError(new Error('x'))).toBe(false);
    expect(isQrisError({ name: 'QrisError', code: 'BAD_ID' })).toBe(false);
    expect(isQrisError(null)).toBe(false);
  });

  it('every documented code has a non-empty sentence', () => {
    for (const [code, text] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z_]+$/);
      expect(text.length).toBeGreaterThan(10);
      expect(text.endsWith('.')).toBe(true);
    }
  });
});

describe('coverage of the code table', () => {
  it('every QrisError code is asserted by some test file (as an expected code, not just mentioned)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('.', import.meta.url);
    const text = readdirSync(dir)
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => readFileSync(new URL(f, dir), 'utf8'))
      .join('\n');
    const missing = Object.keys(ERROR_CODES).filter(
      (code) => !new RegExp(`(toBe|toEqual|code:|toThrow[A-Za-z]*|rejects[^\\n]*)\\(?\\s*['"\`]${code}['"\`]`).test(text),
    );
    expect(missing).toEqual([]);
  });
});

describe('issue codes', () => {
  it('QrisIssue.code is typed as the union of parse warning, validation and QrisError codes, not string', () => {
    expectTypeOf<QrisIssue['code']>().toEqualTypeOf<IssueCode>();
    expectTypeOf<IssueCode>().toEqualTypeOf<QrisErrorCode | ParseWarningCode | ValidationCode>();
    expectTypeOf<'SOMETHING_ELSE'>().not.toMatchTypeOf<IssueCode>();
  });

  it('every code parse and validate report on the whole corpus (and on broken inputs) is in that union at run time', () => {
    const known = new Set<string>([...Object.keys(ERROR_CODES), ...Object.keys(VALIDATION_CODES), 'TEMPLATE_NOT_TLV', 'CRC_LOWERCASE']);
    const seen = new Set<string>();
    for (const e of corpus) {
      for (const i of validate(e.payload).issues) seen.add(i.code);
      const r = safeParse(e.payload, { verifyCrc: false });
      if (r.ok) for (const w of r.value.warnings) seen.add(w.code);
    }
    for (const bad of ['', '0102', '000201630400', 42]) for (const i of validate(bad as string).issues) seen.add(i.code);
    expect(seen.size).toBeGreaterThan(5);
    expect([...seen].filter((c) => !known.has(c))).toEqual([]);
  });
});

describe('the argument-code policy helpers', () => {
  it('callerThrew wraps a caller exception with the policy code and keeps it as cause; a QrisError passes as it is', () => {
    const original = new TypeError('Cannot perform get on a revoked proxy');
    const err = callerThrew('BAD_OPTION', 'the options', original);
    expect(err).toBeInstanceOf(QrisError);
    expect([err.code, err.cause]).toEqual(['BAD_OPTION', original]);
    expect(err.message).toContain('a TypeError');
    const own = new QrisError('BAD_AMOUNT');
    expect(callerThrew('BAD_OPTION', 'the options', own)).toBe(own);
    // Whatever was thrown (a revoked Proxy included), naming it runs none of its code.
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(callerThrew('BAD_FIELD', 'the tree', proxy).code).toBe('BAD_FIELD');
  });

  it('describeValue and quote never exceed ~40 characters of the value, never split a surrogate pair, never throw', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(describeValue(proxy)).toBe('a revoked Proxy');
    expect(describeValue(10n ** 100n).length).toBeLessThanOrEqual(QUOTE_MAX);
    expect(describeValue({ a: 'x'.repeat(1000) }).length).toBeLessThanOrEqual(QUOTE_MAX);
    const emoji = '😀'.repeat(100);
    expect(quote(emoji)).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(describeValue([emoji])).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(quote('x'.repeat(5_000_000))).toBe(`${JSON.stringify('x'.repeat(QUOTE_MAX))}... (5000000 characters)`);
  });
});
