/**
 * Bad input gets a QrisError, never a TypeError or RangeError: every public core function, fed
 * arbitrary values (fast-check's `anything`: objects, arrays, null, symbols, bigints, odd numbers)
 * as its input and as its options, either returns or throws a QrisError. Issue 9 section 5: deep and
 * cyclic trees, unpaired surrogates, revoked Proxies and throwing getters, and huge values quoted
 * in messages.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from '../src/index.js';
import corpus from '../fixtures/dev-payloads.json' with { type: 'json' };
import { loneSurrogateArb as loneSurrogateOnly } from './arbitraries.js';

const STATIC = corpus.find((e) => e.payload.endsWith('630458C7'))!.payload; // DANA static
const DYNAMIC = core.toDynamic(STATIC, { amount: 25000 });

/** Calls `fn`; returns 'ok', or the code of the QrisError it threw; anything else fails the test. */
function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (e instanceof core.QrisError) return e.code;
    throw new Error(`not a QrisError: ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`, { cause: e });
  }
}

const anyValue = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withNullPrototype: true,
  withSparseArray: true,
  withDate: true,
});

/** Values shaped like the real thing but wrong inside: what a caller's bug usually produces. */
const nearMiss = fc.oneof(
  fc.record({ amount: anyValue }),
  fc.record({ amount: fc.constant(1000), fee: anyValue }),
  fc.record({ amount: fc.constant(1000), decimals: anyValue, maxAmount: anyValue }),
  fc.record({ amount: fc.constant(1000), billNumber: anyValue, referenceLabel: anyValue, terminalLabel: anyValue }),
  fc.record({ nodes: anyValue, payload: anyValue, crc: anyValue, warnings: anyValue }),
  fc.array(fc.record({ id: anyValue, value: anyValue, children: anyValue }), { maxLength: 4 }),
  fc.record({ merchantName: anyValue, merchantCity: anyValue, mcc: anyValue, accounts: anyValue }),
);

const input = fc.oneof(anyValue, nearMiss, fc.string(), fc.constantFrom(STATIC, DYNAMIC, STATIC.toLowerCase(), ` ${STATIC}\n`));

const CALLS: Record<string, (a: unknown, b: unknown) => unknown> = {
  parse: (a, b) => core.parse(a as string, b as core.ParseOptions),
  safeParse: (a, b) => core.safeParse(a as string, b as core.ParseOptions),
  serialize: (a) => core.serialize(a as core.ParsedQris),
  crc16: (a) => core.crc16(a as string),
  crc16Hex: (a) => core.crc16Hex(a as string),
  info: (a) => core.info(a as string),
  validate: (a) => core.validate(a as string),
  'toDynamic(x, options)': (a, b) => core.toDynamic(a as string, b as core.ToDynamicOptions),
  'toDynamic(static, x)': (a) => core.toDynamic(STATIC, a as core.ToDynamicOptions),
  'toStatic(x, options)': (a, b) => core.toStatic(a as string, b as core.ToStaticOptions),
  'toStatic(dynamic, x)': (a) => core.toStatic(DYNAMIC, a as core.ToStaticOptions),
  build: (a) => core.build(a as core.BuildFields),
  formatAmount: (a, b) => core.formatAmount(a, b as core.AmountFormat),
  checkToDynamicOptions: (a) => core.checkToDynamicOptions(a as core.ToDynamicOptions),
};

describe('every public core function: bad input is a QrisError, never a crash', () => {
  for (const [name, call] of Object.entries(CALLS)) {
    it(`property: ${name}`, () => {
      fc.assert(
        fc.property(input, fc.oneof(anyValue, nearMiss), (a, b) => {
          outcome(() => call(a, b));
        }),
        { numRuns: 300 },
      );
    });
  }

  it('objects that are not a parse() result are refused by info and validate with NOT_A_STRING', () => {
    expect(outcome(() => core.info({ nodes: null } as unknown as string))).toBe('NOT_A_STRING');
    expect(outcome(() => core.info([] as unknown as string))).toBe('NOT_A_STRING');
    expect(core.validate({ nodes: [{}] } as unknown as string)).toMatchObject({ valid: false, issues: [{ code: 'NOT_A_STRING' }] });
    // A real parse() result is accepted as it is.
    expect(core.info(core.parse(STATIC)).merchantName).toBe('Warung Sayur Bu Sugeng');
  });

  it('null options are refused with BAD_OPTION', () => {
    expect(outcome(() => core.toStatic(DYNAMIC, null as unknown as core.ToStaticOptions))).toBe('BAD_OPTION');
    expect(outcome(() => core.toDynamic(STATIC, null as unknown as core.ToDynamicOptions))).toBe('BAD_OPTION');
    expect(outcome(() => core.formatAmount(1000, null as unknown as core.AmountFormat))).toBe('BAD_OPTION');
    expect(outcome(() => core.parse(STATIC, null as unknown as core.ParseOptions))).toBe('BAD_OPTION');
  });

  it('flags that are not booleans are refused with BAD_OPTION, not read as false', () => {
    expect(outcome(() => core.parse(STATIC, { verifyCrc: 'no' } as unknown as core.ParseOptions))).toBe('BAD_OPTION');
    expect(outcome(() => core.toDynamic(DYNAMIC, { amount: 5000, replaceAmount: 'yes' } as unknown as core.ToDynamicOptions))).toBe('BAD_OPTION');
    expect(outcome(() => core.toStatic(DYNAMIC, { removeFees: 1 } as unknown as core.ToStaticOptions))).toBe('BAD_OPTION');
  });
});

// ---- issue 9 section 5: the core keeps "no TypeError or RangeError escapes" ----------------------------

/** The QrisError `fn` throws; fails the test for a return or any other exception. */
function qrisError(fn: () => unknown): core.QrisError {
  try {
    fn();
  } catch (e) {
    if (e instanceof core.QrisError) return e;
    throw new Error(`not a QrisError: ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`, { cause: e });
  }
  throw new Error('expected a QrisError, got a result');
}

/** A chain of `depth` nested data objects: root 62 > 50 > 01 > 01 > ... */
function chain(depth: number): core.TlvInput[] {
  let node: core.TlvInput = { id: '01', value: 'x' };
  for (let d = depth - 1; d > 0; d--) node = { id: d === 1 ? '62' : d === 2 ? '50' : '01', children: [node] };
  return [{ id: '00', value: '01' }, node];
}

describe('serialize: deep and cyclic trees are a QrisError (BAD_FIELD), never a RangeError', () => {
  it('the deepest tree the spec defines (root > 62 > 62/50 > value) serializes; one level more is BAD_FIELD naming the limit', () => {
    expect(core.parse(core.serialize(chain(3))).nodes[1]!.children![0]!.children![0]!.value).toBe('x');
    const err = qrisError(() => core.serialize(chain(4)));
    expect(err.code).toBe('BAD_FIELD');
    expect(err.tag).toBe('62/50/01');
    expect(err.message).toContain(`at most ${core.MAX_NESTING} levels`);
  });

  it('a 100,000-deep tree is refused with BAD_FIELD', () => {
    expect(qrisError(() => core.serialize(chain(100_000))).code).toBe('BAD_FIELD');
  });

  it('property: any tree deeper than 3 levels, whatever its depth and IDs, is BAD_FIELD', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 5000 }),
        fc.array(
          fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0')),
          { minLength: 1, maxLength: 8 },
        ),
        (depth, ids) => {
          let node: core.TlvInput = { id: '01', value: 'v' };
          for (let d = 0; d < depth - 1; d++) node = { id: ids[d % ids.length]!, children: [node] };
          const tree = [
            { id: '00', value: '01' },
            { ...node, id: '62' },
          ];
          expect(qrisError(() => core.serialize(tree)).code).toBe('BAD_FIELD');
        },
      ),
      { numRuns: 100 },
    );
  });

  it('property: a cycle at any level (a node among its own descendants) is BAD_FIELD naming the cycle', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), (from, to) => {
        const [hi, lo] = from <= to ? [from, to] : [to, from];
        const levels: { id: string; children: core.TlvInput[] }[] = [
          { id: '62', children: [] },
          { id: '50', children: [] },
          { id: '01', children: [] },
        ];
        levels[0]!.children.push(levels[1]!);
        levels[1]!.children.push(levels[2]!);
        levels[lo]!.children.push(levels[hi]!); // lo's children include an ancestor (or lo itself)
        const err = qrisError(() => core.serialize([{ id: '00', value: '01' }, levels[0]!]));
        expect(err.code).toBe('BAD_FIELD');
        if (lo < 2) expect(err.message).toMatch(/contains itself|at most 3 levels/);
      }),
      { numRuns: 30 },
    );
    // The plainest cycle: a template that is its own child.
    const self: { id: string; children: unknown[] } = { id: '62', children: [] };
    self.children.push(self);
    const err = qrisError(() => core.serialize([{ id: '00', value: '01' }, self as core.TlvInput]));
    expect(err.message).toContain('contains itself');
  });
});

describe('unpaired surrogates: no payload a QR code cannot carry is ever produced', () => {
  const fields: core.BuildFields = {
    merchantName: 'Toko Kita',
    merchantCity: 'Jakarta',
    mcc: '5411',
    accounts: [{ guid: 'ID.CO.QRIS.WWW', pan: '9360091500000000011' }],
    nmid: 'ID1234567890123',
  };
  const withLone = fc
    .tuple(fc.string({ maxLength: 10 }), loneSurrogateOnly, fc.string({ maxLength: 10 }))
    .map(([a, s, b]) => a + s + b)
    .filter((v) => v.length <= 25);

  it("property: build() refuses a lone surrogate in any text field with BAD_FIELD and that field's tag", () => {
    const where: [string, (v: string) => core.BuildFields, string][] = [
      ['merchantName', (v) => ({ ...fields, merchantName: v }), '59'],
      ['merchantCity', (v) => ({ ...fields, merchantCity: v }), '60'],
      ['nmid', (v) => ({ ...fields, nmid: v }), '51/02'],
      ['guid', (v) => ({ ...fields, accounts: [{ guid: v }] }), '26/00'],
      ['billNumber', (v) => ({ ...fields, additionalData: { billNumber: v } }), '62/01'],
      ['language', (v) => ({ ...fields, language: { preference: 'ID', merchantName: v } }), '64/01'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...where), withLone, ([, make, tag], v) => {
        const err = qrisError(() => core.build(make(v)));
        expect(err.code).toBe('BAD_FIELD');
        expect(err.tag).toBe(tag);
        expect(err.message).toContain('unpaired');
      }),
      { numRuns: 200 },
    );
    // A paired surrogate is fine where the format allows any character (64/01; 59 is ans: ASCII).
    expect(core.build({ ...fields, language: { preference: 'ID', merchantName: 'Kopi 😀' } })).toContain('Kopi 😀');
  });

  it('property: serialize refuses a value with a lone surrogate at any level with BAD_FIELD and its tag', () => {
    fc.assert(
      fc.property(withLone, fc.boolean(), (v, nested) => {
        const tree: core.TlvInput[] = nested
          ? [
              { id: '00', value: '01' },
              { id: '62', children: [{ id: '05', value: v }] },
            ]
          : [
              { id: '00', value: '01' },
              { id: '59', value: v },
            ];
        const err = qrisError(() => core.serialize(tree));
        expect(err.code).toBe('BAD_FIELD');
        expect(err.tag).toBe(nested ? '62/05' : '59');
      }),
      { numRuns: 200 },
    );
  });

  it('property: toDynamic and toStatic refuse an input holding a lone surrogate (even with a matching CRC) with BAD_FIELD and the tag', () => {
    fc.assert(
      fc.property(
        withLone.filter((v) => v.length > 0),
        (name) => {
          const body = STATIC.slice(0, -4).replace('5922Warung Sayur Bu Sugeng', () => '59' + String(name.length).padStart(2, '0') + name);
          // The CRC over the bytes TextEncoder writes (U+FFFD for the lone half): the one a careless writer would give.
          const payload = body + core.crc16Hex(body);
          const dyn = qrisError(() => core.toDynamic(payload, { amount: 1000 }));
          expect([dyn.code, dyn.tag]).toEqual(['BAD_FIELD', '59']);
          const dynamic = payload.replace('010211', '010212');
          const fixed = dynamic.slice(0, -4) + core.crc16Hex(dynamic.slice(0, -4));
          const st = qrisError(() => core.toStatic(fixed));
          expect([st.code, st.tag]).toEqual(['BAD_FIELD', '59']);
        },
      ),
      { numRuns: 100 },
    );
  });
});

/** A revoked Proxy: every operation on it but `typeof` throws a TypeError. */
function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** An object whose every property read throws `err` (a hostile getter / Proxy trap). */
function throwing(err: unknown, target: object = {}): object {
  return new Proxy(target, {
    get() {
      throw err;
    },
    has() {
      throw err;
    },
    ownKeys() {
      throw err;
    },
    getPrototypeOf() {
      throw err;
    },
  });
}

describe('hostile objects: a revoked Proxy or a throwing getter is a QrisError with the cause kept', () => {
  const POLICY: Record<string, [(x: unknown) => unknown, core.QrisErrorCode]> = {
    'parse(x)': [(x) => core.parse(x as string), 'NOT_A_STRING'],
    'parse(payload, x)': [(x) => core.parse(STATIC, x as core.ParseOptions), 'BAD_OPTION'],
    'safeParse(payload, x)': [
      (x) => {
        const r = core.safeParse(STATIC, x as core.ParseOptions);
        if (!r.ok) throw r.error;
      },
      'BAD_OPTION',
    ],
    'info(x)': [(x) => core.info(x as string), 'NOT_A_STRING'],
    'validate(x)': [
      (x) => {
        const r = core.validate(x as string);
        if (!r.valid) throw new core.QrisError(r.issues[0]!.code as core.QrisErrorCode);
      },
      'NOT_A_STRING',
    ],
    'serialize(x)': [(x) => core.serialize(x as core.TlvInput[]), 'BAD_FIELD'],
    'serialize([00, x])': [(x) => core.serialize([{ id: '00', value: '01' }, x as core.TlvInput]), 'BAD_FIELD'],
    'crc16(x)': [(x) => core.crc16(x as string), 'NOT_A_STRING'],
    'toDynamic(x, options)': [(x) => core.toDynamic(x as string, { amount: 1000 }), 'NOT_A_STRING'],
    'toDynamic(payload, x)': [(x) => core.toDynamic(STATIC, x as core.ToDynamicOptions), 'BAD_OPTION'],
    'toDynamic(payload, { fee: x })': [(x) => core.toDynamic(STATIC, { amount: 1000, fee: x as core.FeeOption }), 'BAD_OPTION'],
    'toStatic(payload, x)': [(x) => core.toStatic(DYNAMIC, x as core.ToStaticOptions), 'BAD_OPTION'],
    'checkToDynamicOptions(x)': [(x) => core.checkToDynamicOptions(x as core.ToDynamicOptions), 'BAD_OPTION'],
    'build(x)': [(x) => core.build(x as core.BuildFields), 'BAD_FIELD'],
    'build({ accounts: [x] })': [(x) => core.build({ merchantName: 'A', merchantCity: 'B', mcc: '5411', accounts: [x as core.BuildAccount] }), 'BAD_FIELD'],
    'formatAmount(1000, x)': [(x) => core.formatAmount(1000, x as core.AmountFormat), 'BAD_OPTION'],
  };

  for (const [name, [call, code]] of Object.entries(POLICY)) {
    it(`${name}: a revoked Proxy or a throwing object gives ${code}`, () => {
      expect(qrisError(() => call(revoked())).code).toBe(code);
      fc.assert(
        // "revoked" stands for a revoked Proxy thrown by the trap, made inside the property:
        // fast-check itself cannot handle one as a generated value.
        fc.property(
          fc.oneof(
            fc.constant<unknown>('revoked'),
            fc.constant(new TypeError('trap')),
            fc.string().map((m) => new Error(m)),
            fc.anything(),
          ),
          fc.boolean(),
          (raw, asArray) => {
            const thrownValue = raw === 'revoked' ? revoked() : raw;
            const err = qrisError(() => call(throwing(thrownValue, asArray ? [] : {})));
            expect(err.code).toBe(code);
            // The caller's exception is kept as the cause when it was a read that threw.
            if (err.cause !== undefined) expect(err.cause).toBe(thrownValue);
          },
        ),
        { numRuns: 25 },
      );
    });
  }
});

describe('messages quote at most ~40 characters of any caller value', () => {
  const HUGE = 200_000;
  const big = (c: string): string => c.repeat(HUGE);
  const CASES: Record<string, () => unknown> = {
    'parse: a huge string': () => core.parse(big('9')),
    'parse: a huge string after a header': () => core.parse('000201' + big('x')),
    'toDynamic: a huge amount': () => core.toDynamic(STATIC, { amount: big('1') + '.5' }),
    'toDynamic: a huge amount with cents': () => core.toDynamic(STATIC, { amount: big('1') + '.55' }),
    'toDynamic: a huge invalid amount': () => core.toDynamic(STATIC, { amount: big('1') + 'x' }),
    'toDynamic: a huge maxAmount': () => core.toDynamic(STATIC, { amount: 5000, maxAmount: big('x') }),
    'toDynamic: a huge numeric maxAmount below the amount': () => core.toDynamic(STATIC, { amount: '5000', maxAmount: '0.' + big('0') + '1' }),
    'toDynamic: a huge fixed fee': () => core.toDynamic(STATIC, { amount: 5000, fee: { type: 'fixed', value: big('2') } }),
    'toDynamic: a huge percent fee': () => core.toDynamic(STATIC, { amount: 5000, fee: { type: 'percent', value: '1.' + big('5') } }),
    'toDynamic: a huge fee type': () => core.toDynamic(STATIC, { amount: 5000, fee: { type: big('t') } as unknown as core.FeeOption }),
    'toDynamic: a huge bill number': () => core.toDynamic(STATIC, { amount: 5000, billNumber: big('b') }),
    'toDynamic: a huge decimals': () => core.toDynamic(STATIC, { amount: 5000, decimals: big('2') as unknown as 2 }),
    'toDynamic: a huge 01 value': () => core.toDynamic(STATIC.replace('010211', '0102AB'), { amount: 5000 }),
    'formatAmount: a huge field': () => core.formatAmount(5000, { field: big('f') as 'amount' }),
    'serialize: a huge value': () =>
      core.serialize([
        { id: '00', value: '01' },
        { id: '59', value: big('n') },
      ]),
    'serialize: a huge ID': () => core.serialize([{ id: big('1'), value: '01' }]),
    'serialize: a huge array as a node': () => core.serialize([{ id: '00', value: '01' }, new Array(HUGE).fill('x') as unknown as core.TlvInput]),
    'build: a huge merchant name': () => core.build({ merchantName: big('m'), merchantCity: 'B', mcc: '5411', accounts: [{ guid: 'ID.CO.QRIS.WWW' }] }),
    'build: a huge additional data key': () =>
      core.build({ merchantName: 'A', merchantCity: 'B', mcc: '5411', accounts: [{ guid: 'ID.CO.QRIS.WWW' }], additionalData: { [big('k')]: 'x' } }),
    'build: a huge account tag': () => core.build({ merchantName: 'A', merchantCity: 'B', mcc: '5411', accounts: [{ tag: big('2'), guid: 'ID.CO.QRIS.WWW' }] }),
    'crc16: a huge array': () => core.crc16(new Array(HUGE).fill(7) as unknown as string),
    'crc16: a huge bigint': () => core.crc16((10n ** 5000n) as unknown as string),
    'toDynamic: a huge bigint amount': () => core.toDynamic(STATIC, { amount: (10n ** 5000n) as unknown as number }),
    'info: a hand-made parse result with a huge ID': () =>
      core.info({ ...core.parse(STATIC), nodes: [{ id: big('5'), value: 'x', offset: 0 }] } as unknown as string),
    'validate: a hand-made parse result with a huge declared CRC': () => {
      const r = core.validate({ ...core.parse(STATIC), crc: { declared: big('F'), computed: '0000', valid: false } });
      throw new core.QrisError(r.issues[0]!.code as core.QrisErrorCode, r.issues[0]!.message);
    },
  };
  for (const [name, run] of Object.entries(CASES)) {
    it(`${name}: the message stays short`, () => {
      const err = qrisError(run);
      expect(err.message.length).toBeLessThan(400);
      expect(JSON.stringify(err.toJSON()).length).toBeLessThan(600);
    });
  }

  it('property: a huge value in any amount-like option gives a short message', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('amount', 'maxAmount', 'billNumber', 'referenceLabel', 'terminalLabel'),
        fc.constantFrom('1', '9', 'a', '.', '-', 'é'),
        fc.integer({ min: 50, max: 20_000 }),
        (key, unit, n) => {
          const options = { amount: 5000, [key]: unit.repeat(n) } as unknown as core.ToDynamicOptions;
          try {
            core.toDynamic(STATIC, options); // a long maxAmount of digits is a fine maximum
          } catch (e) {
            expect(e).toBeInstanceOf(core.QrisError);
            expect((e as core.QrisError).message.length).toBeLessThan(400);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
