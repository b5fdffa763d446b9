/**
 * Amount and fee-percentage formatting: decimal text end to end, no float rounding, every refusal
 * with the right code and tag. Expected strings are written by hand.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareDecimal, formatAmount, formatPercent, isAmountText, MAX_AMOUNT_LENGTH } from '../src/qris/amount.js';
import type { AmountFormat } from '../src/qris/amount.js';
import { toDynamic, type QrisErrorCode } from '../src/index.js';
import { thrown } from './expect-error.js';

const RUNS = { numRuns: 300 };
const STATIC = readFileSync(new URL('../fixtures/demo/static-qris.txt', import.meta.url), 'utf8').trim();
const toDynamicAmount = (amount: string) => toDynamic(STATIC, { amount });

describe('formatAmount: accepted inputs', () => {
  it.each<[unknown, AmountFormat, string]>([
    [1, {}, '1'],
    [25000, {}, '25000'],
    ['25000', {}, '25000'],
    [25000, { decimals: 0 }, '25000'],
    ['25000.00', {}, '25000'], // zero cents fit integer output
    ['25000.0', { decimals: 0 }, '25000'],
    [25000, { decimals: 2 }, '25000.00'],
    ['25000', { decimals: 2 }, '25000.00'],
    ['25000.5', { decimals: 2 }, '25000.50'],
    ['25000.05', { decimals: 2 }, '25000.05'],
    [0.5, { decimals: 2 }, '0.50'],
    [0.01, { decimals: 2 }, '0.01'],
    ['0.01', { decimals: 2 }, '0.01'],
    [19.99, { decimals: 2 }, '19.99'],
    [9999999999999, {}, '9999999999999'], // 13 characters, the maximum
    ['9999999999999', {}, '9999999999999'],
    ['9999999999.99', { decimals: 2 }, '9999999999.99'],
    [1234567890123, {}, '1234567890123'],
    [1000, { maxAmount: 1000 }, '1000'],
    ['999.99', { decimals: 2, maxAmount: '1000' }, '999.99'],
    [1000, { maxAmount: '1000.00' }, '1000'],
    ['1000.00', { decimals: 2, maxAmount: 1000 }, '1000.00'],
    [5, { maxAmount: 10 }, '5'], // compared as decimals, not as text ("5" > "10")
  ])('%j with %j gives %j', (input, format, expected) => {
    expect(formatAmount(input, format)).toBe(expected);
  });

  it('property: every positive safe integer below 10^13 formats to its digits, and with decimals 2 to digits + ".00" when it fits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9_999_999_999_999 }), (n) => {
        const digits = n.toString();
        expect(formatAmount(n)).toBe(digits);
        expect(formatAmount(digits)).toBe(digits);
        if (digits.length <= 10) expect(formatAmount(n, { decimals: 2 })).toBe(digits + '.00');
        else expect(thrown(() => formatAmount(n, { decimals: 2 })).code).toBe('BAD_AMOUNT');
      }),
      RUNS,
    );
  });

  it('property: rupiah + cents as text with decimals 2 come back exactly (no float rounding)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999_999 }), fc.integer({ min: 0, max: 99 }), (rupiah, cents) => {
        fc.pre(rupiah > 0 || cents > 0);
        const text = `${rupiah}.${String(cents).padStart(2, '0')}`;
        expect(formatAmount(text, { decimals: 2 })).toBe(text);
      }),
      RUNS,
    );
  });
});

describe('formatAmount: refusals', () => {
  it.each<[string, unknown, AmountFormat, QrisErrorCode]>([
    ['zero', 0, {}, 'BAD_AMOUNT'],
    ['negative zero', -0, {}, 'BAD_AMOUNT'],
    ['"0"', '0', {}, 'BAD_AMOUNT'],
    ['"0.00"', '0.00', { decimals: 2 }, 'BAD_AMOUNT'],
    ['negative', -5, {}, 'BAD_AMOUNT'],
    ['negative fraction', -0.5, { decimals: 2 }, 'BAD_AMOUNT'],
    ['"-5"', '-5', {}, 'BAD_AMOUNT'],
    ['"+5"', '+5', {}, 'BAD_AMOUNT'],
    ['NaN', NaN, {}, 'BAD_AMOUNT'],
    ['Infinity', Infinity, {}, 'BAD_AMOUNT'],
    ['"Infinity"', 'Infinity', {}, 'BAD_AMOUNT'],
    ['"NaN"', 'NaN', {}, 'BAD_AMOUNT'],
    ['"1e5"', '1e5', {}, 'BAD_AMOUNT'],
    ['"1E5"', '1E5', {}, 'BAD_AMOUNT'],
    ['1e21 (String gives 1e+21)', 1e21, {}, 'BAD_AMOUNT'],
    ['1e-7 (String gives 1e-7)', 1e-7, { decimals: 2 }, 'BAD_AMOUNT'],
    ['three decimals', '1.005', { decimals: 2 }, 'BAD_AMOUNT'],
    ['0.1 + 0.2 (not exact)', 0.1 + 0.2, { decimals: 2 }, 'BAD_AMOUNT'],
    ['cents with integer output', '10.50', {}, 'BAD_AMOUNT'],
    ['cents with integer output (number)', 10.5, {}, 'BAD_AMOUNT'],
    ['14 digits', '12345678901234', {}, 'BAD_AMOUNT'],
    ['10^13 as a number', 1e13, {}, 'BAD_AMOUNT'],
    ['14 characters after ".00"', '99999999999', { decimals: 2 }, 'BAD_AMOUNT'],
    ['above maxAmount', 1001, { maxAmount: 1000 }, 'BAD_AMOUNT'],
    ['above a decimal maxAmount', '1000.01', { decimals: 2, maxAmount: '1000' }, 'BAD_AMOUNT'],
    ['10 above 9 (not compared as text)', 10, { maxAmount: 9 }, 'BAD_AMOUNT'],
    ['"1,000"', '1,000', {}, 'BAD_AMOUNT'],
    ['"1.000.000" (dot as thousands separator)', '1.000.000', {}, 'BAD_AMOUNT'],
    ['"10,50"', '10,50', { decimals: 2 }, 'BAD_AMOUNT'],
    ['"Rp 1000"', 'Rp 1000', {}, 'BAD_AMOUNT'],
    ['" 100"', ' 100', {}, 'BAD_AMOUNT'],
    ['"100 "', '100 ', {}, 'BAD_AMOUNT'],
    ['"100."', '100.', {}, 'BAD_AMOUNT'],
    ['".5"', '.5', { decimals: 2 }, 'BAD_AMOUNT'],
    ['"."', '.', {}, 'BAD_AMOUNT'],
    ['"007"', '007', {}, 'BAD_AMOUNT'],
    ['"00.5"', '00.5', { decimals: 2 }, 'BAD_AMOUNT'],
    ['empty string', '', {}, 'BAD_AMOUNT'],
    ['fullwidth digits', '１００', {}, 'BAD_AMOUNT'],
    ['undefined', undefined, {}, 'BAD_AMOUNT'],
    ['null', null, {}, 'BAD_AMOUNT'],
    ['bigint', 100n, {}, 'BAD_AMOUNT'],
    ['object', { amount: 1 }, {}, 'BAD_AMOUNT'],
    ['decimals 1 (string input)', '100', { decimals: 1 as 2 }, 'BAD_OPTION'],
    ['decimals 1 (whole-number input)', 100, { decimals: 1 as 2 }, 'BAD_OPTION'],
    ['decimals 3', 100, { decimals: 3 as 2 }, 'BAD_OPTION'],
    ['maxAmount not a decimal', 100, { maxAmount: '1e6' }, 'BAD_OPTION'],
    ['maxAmount NaN', 100, { maxAmount: NaN }, 'BAD_OPTION'],
  ])('%s', (_name, input, format, code) => {
    const err = thrown(() => formatAmount(input, format));
    expect(err.code).toBe(code);
    if (code === 'BAD_AMOUNT') expect(err.tag).toBe('54');
  });

  it('an amount written the Indonesian way (50.000, 1.500.000, 25.000,50) says the dot is a decimal point and how to write it', () => {
    const fifty = thrown(() => formatAmount('50.000'));
    expect(fifty.code).toBe('BAD_AMOUNT');
    expect(fifty.message).toBe(
      `The amount "50.000" has a '.' that is read as a decimal point, not as a thousands separator: for Rp 50.000 write 50000 (digits only). (tag 54)`,
    );
    expect(thrown(() => formatAmount('1.500.000')).message).toContain('decimal point, not as a thousands separator: for Rp 1.500.000 write 1500000');
    expect(thrown(() => formatAmount('25.000,50', { decimals: 2 })).message).toContain("uses ',' as the decimal mark");
    expect(thrown(() => formatAmount('25.000,50', { decimals: 2 })).message).toContain('e.g. 25000.50.');
    expect(thrown(() => toDynamicAmount('50.000')).message).toContain('write 50000');
    // Not Indonesian grouping: the plain messages stay.
    expect(thrown(() => formatAmount('0.500', { decimals: 2 })).message).toContain('more than two decimals');
    expect(thrown(() => formatAmount('1,000')).message).toContain('not a plain decimal');
    expect(thrown(() => formatAmount('12.3456.789')).message).toContain('not a plain decimal');
  });

  it("field: 'fixedFee' reports a fixed fee's errors as BAD_FEE on 56", () => {
    const err = thrown(() => formatAmount(0, { field: 'fixedFee' }));
    expect({ code: err.code, tag: err.tag }).toEqual({ code: 'BAD_FEE', tag: '56' });
    expect(err.message).toContain('fixed fee');
    expect(formatAmount(500, { decimals: 2, field: 'fixedFee' })).toBe('500.00');
  });

  it('the old positional (what, code, tag) form and an unknown field are refused with BAD_OPTION', () => {
    const legacy = formatAmount as unknown as (...args: unknown[]) => string;
    expect(thrown(() => legacy(0, {}, 'fixed fee', 'BAD_FEE', '56')).code).toBe('BAD_OPTION');
    expect(thrown(() => formatAmount(500, { field: 'tip' as 'amount' })).code).toBe('BAD_OPTION');
  });

  it('MAX_AMOUNT_LENGTH is the EMVCo 13', () => {
    expect(MAX_AMOUNT_LENGTH).toBe(13);
  });
});

describe('formatPercent', () => {
  it.each<[unknown, string]>([
    ['0.7', '0.7'],
    [0.7, '0.7'],
    ['1', '1'],
    [2.5, '2.5'],
    ['10', '10'],
    ['99.99', '99.99'],
    ['0.01', '0.01'],
    ['1.234', '1.234'], // five characters fit 57
    ['50.00', '50.00'],
  ])('%j gives %j', (input, expected) => {
    expect(formatPercent(input)).toBe(expected);
  });

  it.each<[string, unknown]>([
    ['zero', 0],
    ['"0.00"', '0.00'],
    ['100', 100],
    ['"100.0"', '100.0'],
    ['above 100', '150'],
    ['negative', -1],
    ['"-1"', '-1'],
    ['six characters', '12.345'],
    ['six characters (number)', 0.12345],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['exponent', '1e1'],
    ['tiny number written with an exponent', 1e-7],
    ['leading zeros', '05'],
    ['percent sign', '5%'],
    ['decimal comma', '2,5'],
    ['empty', ''],
    ['undefined', undefined],
    ['null', null],
  ])('rejects %s with BAD_FEE (tag 57)', (_name, input) => {
    const err = thrown(() => formatPercent(input));
    expect({ code: err.code, tag: err.tag }).toEqual({ code: 'BAD_FEE', tag: '57' });
  });
});

describe('isAmountText and compareDecimal', () => {
  it('isAmountText: digits with at most one dot and a digit before it; a trailing dot is valid (EMVCo `98.`)', () => {
    for (const ok of ['1', '0', '25000', '39000.00', '0.5', '007', '98.', '1000.', '5.']) expect(isAmountText(ok), ok).toBe(true);
    for (const bad of ['', '.', '.5', '1.2.3', '1..', '-1', '+1', '1e5', '1,000', '1 000', ' 1', '１', '98,73']) expect(isAmountText(bad), bad).toBe(false);
  });

  it('a trailing dot is read, never written: formatAmount and formatPercent refuse it from a caller', () => {
    expect(() => formatAmount('1000.')).toThrow(expect.objectContaining({ code: 'BAD_AMOUNT' }));
    expect(() => formatAmount('1000.', { decimals: 2 })).toThrow(expect.objectContaining({ code: 'BAD_AMOUNT' }));
    expect(() => formatPercent('5.')).toThrow(expect.objectContaining({ code: 'BAD_FEE' }));
    expect(compareDecimal('98.', '98')).toBe(0);
  });

  it('formatPercent keeps 57 within 00.01-99.99', () => {
    expect(formatPercent('0.01')).toBe('0.01');
    expect(formatPercent('99.99')).toBe('99.99');
    for (const bad of ['0.001', '99.991', '100', '0', '0.00']) expect(() => formatPercent(bad), bad).toThrow(expect.objectContaining({ code: 'BAD_FEE' }));
  });

  it('property: isAmountText agrees with a reference grammar (digits, then optionally a dot and digits)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9.\-e,]{0,8}$/), (s) => {
        expect(isAmountText(s)).toBe(/^[0-9]+(\.[0-9]*)?$/.test(s));
      }),
    );
  });

  it.each<[string, string, number]>([
    ['1', '2', -1],
    ['10', '9', 1],
    ['1000', '1000.00', 0],
    ['1000.01', '1000', 1],
    ['0.5', '0.50', 0],
    ['007', '7', 0],
    ['999.99', '1000', -1],
    ['12.5', '12.45', 1],
  ])('compareDecimal(%j, %j) = %d', (a, b, expected) => {
    expect(compareDecimal(a, b)).toBe(expected);
    expect(compareDecimal(b, a)).toBe(-expected || 0);
  });

  it('property: compareDecimal agrees with integer comparison of cents', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), (a, b) => {
        const text = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
        expect(compareDecimal(text(a), text(b))).toBe(Math.sign(a - b) || 0);
      }),
      RUNS,
    );
  });
});
