/**
 * Bad input gets a QrisError, never a TypeError or RangeError: every public core function, fed
 * arbitrary values (fast-check's `anything`: objects, arrays, null, symbols, bigints, odd numbers)
 * as its input and as its options, either returns or throws a QrisError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from '../src/index.js';
import corpus from '../fixtures/dev-payloads.json' with { type: 'json' };

const STATIC = corpus.find((e) => e.payload.endsWith('630458C7'))!.payload; // DANA static
const DYNAMIC = core.toDynamic(STATIC, { amount: 25000 });

/** Calls `fn`; returns 'ok', or the code of the QrisError it threw; anything else fails the test. */
function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (e instanceof core.QrisError) return e.code;
    throw new Error(`not a QrisError: ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`);
  }
}

const anyValue = fc.anything({ withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withSparseArray: true, withDate: true });

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
  });
});
