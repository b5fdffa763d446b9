/**
 * Generated from the CPM rule table: for every row of CPM_RULES, codes that break only that rule
 * and codes just inside it (its samples), built with buildCpm. A row without samples or a
 * hand-written case fails the coverage test, so a rule cannot be added untested. Also: the
 * README's CPM rule table matches the table.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCpm, CPM_RULES, CPM_VALIDATION_CODES, validateCpm, type CpmRuleSpec } from '../src/cpm/index.js';

type Obj = { readonly tag: string; readonly value?: string; readonly children?: readonly Obj[] };
const hex = (text: string) => Array.from(text, (c) => c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()).join('');

/** EMVCo base: every Table 6.1 object once, 61 and 62 with their transparent templates. */
const EMV_BASE: readonly Obj[] = [
  { tag: '85', value: hex('CPV01') },
  {
    tag: '61',
    children: [
      { tag: '4F', value: 'A0000000555555' },
      { tag: '50', value: hex('Product1') },
      { tag: '57', value: '1234567890123458D191220112345F' },
      { tag: '9F08', value: '0001' },
      { tag: '9F19', value: '012345678901' },
      { tag: '9F25', value: '3458' },
      { tag: '63', children: [{ tag: '9F10', value: '06010A03000000' }] },
    ],
  },
  {
    tag: '62',
    children: [
      { tag: '5A', value: '1234567890123458' },
      { tag: '5F20', value: hex('CARDHOLDER/EMV') },
      { tag: '5F2D', value: hex('ruesdeen') },
      { tag: '5F50', value: hex('https://issuer.example/r') },
      { tag: '9F24', value: hex('Q1Z2X3C4V5B6N7M8A9S0D1F2G3H4J') },
      { tag: '64', children: [{ tag: '9F26', value: '584FD385FA234BCC' }] },
    ],
  },
];

/** QRIS base (digest's profile): QRIS AID and label, NNS PAN, 63 with 9F74. */
const QRIS_BASE: readonly Obj[] = [
  { tag: '85', value: hex('CPV01') },
  {
    tag: '61',
    children: [
      { tag: '4F', value: 'A0000006022020' },
      { tag: '50', value: hex('QRISCPM') },
      { tag: '5A', value: '9360091512345678901F' },
      { tag: '63', children: [{ tag: '9F74', value: '0011223344556677' }] },
    ],
  },
];

/** Writes hex `value` at `path` (`61/63/9F74`: the first 61's 63's 9F74); null removes it; parents are created. */
function setAt(nodes: readonly Obj[], path: string, value: string | null): Obj[] {
  const [head, ...rest] = path.split('/') as [string, ...string[]];
  const out = [...nodes];
  const i = out.findIndex((n) => n.tag === head);
  if (rest.length === 0) {
    if (value === null) return i < 0 ? out : out.filter((_, k) => k !== i);
    if (i >= 0) out[i] = { tag: head, value };
    else out.push({ tag: head, value });
    return out;
  }
  const parent = i >= 0 ? out[i]! : { tag: head, children: [] };
  const obj = { tag: head, children: setAt(parent.children ?? [], rest.join('/'), value) };
  if (i >= 0) out[i] = obj;
  else out.push(obj);
  return out;
}

const build = (nodes: readonly Obj[]) => buildCpm(nodes, { payloadFormat: false });
const rules: readonly CpmRuleSpec[] = CPM_RULES;
const key = (r: CpmRuleSpec) => `${r.code}:${r.path}`;

interface Case {
  readonly name: string;
  readonly input: string | Uint8Array;
  readonly bad: boolean;
}

/** Cases from a row's samples (`present` rows: the object removed). */
function generate(r: CpmRuleSpec): Case[] {
  if (r.check === 'parse') return [];
  const bad = r.samples?.bad ?? (r.check === 'present' ? [null] : undefined);
  if (bad === undefined) return [];
  const base = r.profile === 'qris' ? QRIS_BASE : EMV_BASE;
  const at = r.samples?.at ?? r.path.split(', ')[0]!;
  const out: Case[] = bad.map((v) => ({ name: `${at} = ${String(v)}`, input: build(setAt(base, at, v)), bad: true }));
  for (const v of r.samples?.good ?? []) out.push({ name: `${at} = ${String(v)}`, input: build(setAt(base, at, v)), bad: false });
  out.push({ name: 'the base', input: build(base), bad: false });
  return out;
}

const b = (h: string) => Uint8Array.from(h.match(/../g)!, (x) => parseInt(x, 16));
const emv = (edit: (n: Obj[]) => Obj[]) => build(edit([...EMV_BASE]));
const APP2: Obj = {
  tag: '61',
  children: [
    { tag: '4F', value: 'A0000000666666' },
    { tag: '5A', value: '1234' },
  ],
};

/** Hand-written cases for rows whose samples cannot say it (structure, counts, order, pairs of templates). */
const HAND: Readonly<Record<string, { readonly bad: readonly (string | Uint8Array)[]; readonly good: readonly (string | Uint8Array)[] }>> = {
  'NOT_A_STRING:payload': { bad: [42 as unknown as string], good: [] },
  'EMPTY_INPUT:payload': { bad: ['', '  '], good: [] },
  'TOO_LONG:payload': { bad: ['A'.repeat(4097), new Uint8Array(3073)], good: ['hQVDUFYwMQ=='] },
  'BAD_ENCODING:payload': { bad: ['hQVDUFYwMQ==!', 'hQVDUFYwM-=='], good: ['hQVDUFYwMQ'] },
  'BER_BAD_TAG:*': { bad: [b('5F'), b('9F8181818101'), b('FF0100')], good: [] },
  'BER_BAD_LENGTH:*': { bad: [b('8580'), b('858400000001')], good: [] },
  'TRUNCATED:*': { bad: [b('85'), b('8581')], good: [] },
  'BER_LENGTH_OVERRUN:*': { bad: [b('850543'), b('6103500241')], good: [] },
  'TRAILING_BYTES:*': { bad: [b('8505435056303100')], good: [] },
  'NESTING_TOO_DEEP:*': { bad: [b('6110610E610C610A6108610661046102' + '6100')], good: [] },
  'CPM_LONG_PAYLOAD:payload': {
    bad: [emv((n) => setAt(n, 'DF01', '00'.repeat(300)))],
    good: [emv((n) => setAt(n, 'DF01', '00'.repeat(100)))],
  },
  'CPM_PFI_NOT_FIRST:85': { bad: [build(EMV_BASE.slice(1)), build([EMV_BASE[1]!, EMV_BASE[0]!, EMV_BASE[2]!])], good: [] },
  'CPM_NO_APPLICATION:61': { bad: [build([EMV_BASE[0]!, EMV_BASE[2]!])], good: [] },
  'CPM_TEMPLATE_COUNT:61': { bad: [build([EMV_BASE[0]!, APP2, APP2, APP2])], good: [build([EMV_BASE[0]!, APP2, APP2])] },
  'CPM_TEMPLATE_COUNT:62': { bad: [build([...EMV_BASE, { tag: '62', children: [] }])], good: [] },
  'CPM_TEMPLATE_ORDER:root': {
    bad: [
      build([EMV_BASE[0]!, { tag: 'DF01', value: '00' }, EMV_BASE[1]!, EMV_BASE[2]!]),
      build([EMV_BASE[0]!, EMV_BASE[1]!, { tag: 'BF0C', children: [] }, EMV_BASE[2]!]),
    ],
    good: [build([...EMV_BASE, { tag: 'DF01', value: '00' }])],
  },
  'CPM_NO_PAN:61/57, 61/5A, 62/57, 62/5A': {
    bad: [emv((n) => setAt(setAt(n, '61/57', null), '62/5A', null)), build([EMV_BASE[0]!, { tag: '61', children: [{ tag: '4F', value: 'A0000000555555' }] }])],
    good: [emv((n) => setAt(n, '61/57', null)), emv((n) => setAt(n, '62/5A', null))],
  },
  'CPM_MISPLACED_TEMPLATE:63, 64': {
    bad: [build([...EMV_BASE, { tag: '63', children: [] }]), emv((n) => setAt(n, '62/63/9F10', '00')), emv((n) => setAt(n, '61/64/9F26', '00'))],
    good: [build(QRIS_BASE)],
  },
  'CPM_DUPLICATE_POI_DATA:61/*, 62/*': {
    bad: [
      emv((n) => setAt(n, '62/9F08', '0002')),
      build([
        EMV_BASE[0]!,
        {
          tag: '61',
          children: [
            { tag: '4F', value: 'A0000000555555' },
            { tag: '5A', value: '12' },
            { tag: '5A', value: '34' },
          ],
        },
      ]),
    ],
    // the same primitive in two 61s is fine (the POI keeps one); so is a tag inside 63 and 64
    good: [build([EMV_BASE[0]!, APP2, APP2]), emv((n) => setAt(n, '62/64/9F10', '00'))],
  },
};

const codesOf = (input: string | Uint8Array, profile: 'emvco' | 'qris') => new Set<string>(validateCpm(input, { profile }).issues.map((i) => i.code));

describe('the CPM rule table', () => {
  it('every row has a unique (code, path, check), a source, and a code has one strength', () => {
    expect(new Set(rules.map((r) => `${key(r)}:${r.check}`)).size).toBe(rules.length);
    for (const r of rules) {
      expect(r.source.length, key(r)).toBeGreaterThan(0);
      expect(CPM_VALIDATION_CODES[r.code as keyof typeof CPM_VALIDATION_CODES]).toBe(r.strength === 'MUST' ? 'error' : 'warning');
    }
  });

  it('every row is covered: generated from its samples, or by a hand-written case', () => {
    const uncovered = rules.filter((r) => generate(r).filter((g) => g.bad).length === 0 && HAND[key(r)] === undefined).map(key);
    expect(uncovered).toEqual([]);
    for (const k of Object.keys(HAND)) expect(rules.map(key), k).toContain(k);
  });

  it('both bases are valid under their profile, with no issue at all', () => {
    expect(validateCpm(build(EMV_BASE))).toEqual({ valid: true, profile: 'emvco', issues: [] });
    expect(validateCpm(build(QRIS_BASE))).toEqual({ valid: true, profile: 'qris', issues: [] });
  });

  it('the README lists every row (code, path, strength, profile, source)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const r of rules) expect(readme.includes(renderRow(r)), renderRow(r)).toBe(true);
  });
});

/** The README line of a row. */
export function renderRow(r: CpmRuleSpec): string {
  return `| \`${r.code}\` | ${r.path} | ${r.strength} | ${r.profile} | ${r.text.replace(/\|/g, '\\|')} | ${r.source} |`;
}

describe.each(rules.map((r) => [key(r), r] as const))('rule %s', (_k, r) => {
  const profile = r.profile;
  const cases = HAND[key(r)]
    ? [...HAND[key(r)]!.bad.map((input) => ({ input, bad: true, name: 'hand' })), ...HAND[key(r)]!.good.map((input) => ({ input, bad: false, name: 'hand' }))]
    : generate(r);
  it('breaking it reports its code with its strength (and only then)', () => {
    for (const c of cases) {
      const result = validateCpm(c.input, { profile });
      const found = result.issues.filter((i) => i.code === r.code);
      if (c.bad) {
        expect(found.length, `${c.name}: ${JSON.stringify(result.issues.map((i) => i.code))}`).toBeGreaterThan(0);
        for (const i of found) expect(i.severity).toBe(r.strength === 'MUST' ? 'error' : 'warning');
        if (r.strength === 'MUST') expect(result.valid).toBe(false);
        if (r.check !== 'parse' && r.check !== 'payloadLength') for (const i of found) expect(typeof i.offset, `${c.name}: offset`).toBe('number');
      } else {
        expect(codesOf(c.input, profile).has(r.code), `${c.name}: ${JSON.stringify(result.issues)}`).toBe(false);
      }
    }
  });
});
