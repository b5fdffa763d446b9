// Offline checks of server answers, and the defensive body readers, without any network.
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { toDynamic } from '../src/qris/convert.js';
import { parse, safeParse, serialize } from '../src/codec/tlv.js';
import { canonicalNominal, verifyConverted, RemoteError } from '../src/remote/index.js';
import { declaresFailure, failureOf, infoOf, parseJson, payloadFromBody, serverMessageOf } from '../src/remote/response.js';
import { createRedactor } from '../src/remote/redact.js';

const fixtures: { payload: string; kind: string }[] = JSON.parse(readFileSync(new URL('../fixtures/dev-payloads.json', import.meta.url), 'utf8')) as {
  payload: string;
  kind: string;
}[];
const STATIC = fixtures[0]!.payload;

describe('canonicalNominal', () => {
  it('equal decimals give equal text', () => {
    expect(canonicalNominal(25000)).toBe('25000');
    expect(canonicalNominal('25000.00')).toBe('25000');
    expect(canonicalNominal('025000')).toBe('25000');
    expect(canonicalNominal('25000.5')).toBe('25000.5');
    expect(canonicalNominal(' 10.50 ')).toBe('10.5');
    expect(canonicalNominal(0.5)).toBe('0.5');
  });
  it('rejects what is not a positive EMVCo amount', () => {
    for (const bad of [0, '0.00', -1, Number.POSITIVE_INFINITY, 1e21, '1,000', '+5', '.5', '1.2.3', '', '12345678901234', null, {}]) {
      expect(() => canonicalNominal(bad), inspect(bad)).toThrow(expect.objectContaining({ code: 'BAD_AMOUNT' }));
    }
  });
  it('a nominal written the Indonesian way (50.000) says the dot is read as a decimal point', () => {
    expect(() => canonicalNominal('50.000')).toThrow(
      expect.objectContaining({ code: 'BAD_AMOUNT', message: expect.stringContaining('for Rp 50.000 write 50000') }),
    );
    expect(() => canonicalNominal('1.500.000')).toThrow(expect.objectContaining({ message: expect.stringContaining('write 1500000') }));
  });
});

describe('verifyConverted', () => {
  const original = parse(STATIC);
  it('accepts every static fixture converted locally, against its original', () => {
    let n = 0;
    for (const f of fixtures) {
      if (f.kind !== 'static' || !safeParse(f.payload).ok) continue;
      let dynamic: string;
      try {
        dynamic = toDynamic(f.payload, { amount: '150000' });
      } catch {
        continue; // a fixture the converter refuses (its own tests cover why)
      }
      const out = verifyConverted(dynamic, { nominal: '150000', original: parse(f.payload) });
      expect(out.nodes.find((x) => x.id === '01')?.value).toBe('12');
      n++;
    }
    expect(n).toBeGreaterThan(5);
  });
  it('compares amounts as decimals', () => {
    expect(() => verifyConverted(toDynamic(STATIC, { amount: 25000, decimals: 2 }), { nominal: '25000', original })).not.toThrow();
    expect(() => verifyConverted(toDynamic(STATIC, { amount: 25001 }), { nominal: '25000', original })).toThrow(RemoteError);
  });
  it('with an original, returns the local conversion, not the answer text (lowercase CRC, 54 spelt "0025000" or "25000.")', () => {
    const local = toDynamic(STATIC, { amount: 25000 });
    const with54 = (v: string) => serialize(parse(local).nodes.map((n) => (n.id === '54' ? { id: '54', value: v } : n)));
    for (const answer of [local.slice(0, -4) + local.slice(-4).toLowerCase(), with54('0025000'), with54('25000.'), with54('25000.00')]) {
      expect(answer).not.toBe(local);
      expect(verifyConverted(answer, { nominal: '25000', original }).payload).toBe(local);
      // Without an original there is nothing better than the answer itself.
      expect(verifyConverted(answer, { nominal: '25000' }).payload).toBe(answer.trim());
    }
  });
  it('without an original, 53 must be 360: the nominal is rupiah', () => {
    const usd = serialize(parse(toDynamic(STATIC, { amount: 25000 })).nodes.map((n) => (n.id === '53' ? { id: '53', value: '840' } : n)));
    expect(() => verifyConverted(usd, { nominal: '25000' })).toThrow(expect.objectContaining({ kind: 'untrusted', code: 'AMOUNT_MISMATCH', tag: '53' }));
  });
  it('non-strings and structural garbage are untrusted', () => {
    for (const bad of [undefined, 42, '', '0002']) {
      expect(() => verifyConverted(bad, { nominal: '1' })).toThrow(expect.objectContaining({ kind: 'untrusted' }));
    }
  });
});

describe('response readers', () => {
  it('parseJson tolerates a BOM and refuses non-JSON', () => {
    expect(parseJson('\ufeff{"a":1}')).toEqual({ a: 1 });
    expect(parseJson('<html>')).toBeUndefined();
    expect(parseJson('')).toBeUndefined();
  });
  it('payloadFromBody prefers the converted names and looks inside data', () => {
    expect(payloadFromBody({ qris: 'A', converted_qris: 'B' })).toBe('B');
    expect(payloadFromBody({ data: { qris_string: ' C ' } })).toBe('C');
    expect(payloadFromBody({ data: '000201X' })).toBe('000201X');
    expect(payloadFromBody({ data: { qris: 5 } })).toBeUndefined();
    expect(payloadFromBody(['000201'])).toBeUndefined();
  });
  it('failure flags and messages', () => {
    expect(declaresFailure({ success: false })).toBe(true);
    expect(declaresFailure({ success: 'false' })).toBe(true);
    expect(declaresFailure({ status: 'error' })).toBe(true);
    expect(declaresFailure({ success: true })).toBe(false);
    expect(serverMessageOf({ success: false, error: { message: 'deep' } })).toBe('deep');
    expect(serverMessageOf({ message: 'x'.repeat(1000) })).toHaveLength(1000);
    const e = failureOf(
      { status: 400, retryAfter: null, length: 0 },
      { message: 'x'.repeat(5_000_000), code: 'C'.repeat(1000) },
      createRedactor('sk_test_0123456789'),
    )!;
    expect(e.serverMessage).toHaveLength(200);
    expect(e.code).toHaveLength(40);
    expect(e.message.length).toBeLessThan(160);
  });
  it('failureOf maps statuses to kinds', () => {
    const kind = (status: number, ...body: unknown[]) =>
      failureOf({ status, retryAfter: null, length: 0 }, body.length ? body[0] : {}, createRedactor('sk_test_0123456789'))?.kind;
    expect(kind(401)).toBe('auth');
    expect(kind(403)).toBe('auth');
    expect(kind(429)).toBe('rate_limit');
    expect(kind(500)).toBe('server');
    expect(kind(504, undefined)).toBe('server');
    expect(kind(404)).toBe('rejected');
    expect(kind(200, undefined)).toBe('unreadable');
    expect(kind(200, [1])).toBe('unreadable');
    expect(kind(200, { success: false })).toBe('rejected');
    expect(kind(200, { success: true })).toBeUndefined();
  });
  it('infoOf returns data or the flat body without the envelope', () => {
    expect(infoOf({ success: true, data: { a: 1 } })).toEqual({ a: 1 });
    expect(infoOf({ success: true, message: 'ok', a: 1 })).toEqual({ a: 1 });
  });
});
