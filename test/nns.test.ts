/**
 * The NNS table (src/qris/nns.ts), rebuilt from astrapay/spring-qris QrisNationalNumberingSystem.java:
 * its size and the source's anomalies, and that it is the one table both info and validate read.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { acquirerByPan, info, nnsOf, QRIS_NNS, validate } from '../src/index.js';
import { encodePayload } from './qris-arbitraries.js';

/** A static QRIS whose merchant account has an unknown GUID, so the acquirer can only come from the NNS. */
const withPan = (pan: string) =>
  encodePayload([
    { id: '00', value: '01' },
    { id: '01', value: '11' },
    {
      id: '26',
      children: [
        { id: '00', value: 'ID.CO.EXAMPLE.WWW' },
        { id: '01', value: pan },
      ],
    },
    {
      id: '51',
      children: [
        { id: '00', value: 'ID.CO.QRIS.WWW' },
        { id: '02', value: 'ID1021081861606' },
      ],
    },
    { id: '52', value: '5812' },
    { id: '53', value: '360' },
    { id: '58', value: 'ID' },
    { id: '59', value: 'TOKO' },
    { id: '60', value: 'JAKARTA' },
    { id: '61', value: '10110' },
  ]);

describe('the NNS table', () => {
  it("has the source's 149 distinct 8-digit NNS; the 9-digit 936002004 is left out", () => {
    expect(QRIS_NNS.size).toBe(149);
    for (const [nns, e] of QRIS_NNS) {
      expect(nns).toMatch(/^[0-9]{8}$/);
      expect(e.nns).toBe(nns);
      expect(e.institution.length).toBeGreaterThan(0);
      expect(e.switches.length).toBeGreaterThan(0);
      for (const s of e.switches) expect(['Alto', 'Artajasa', 'Rintis', 'Jalin']).toContain(s);
    }
    expect([...QRIS_NNS.keys()].some((k) => k.startsWith('93600200') && k.length > 8)).toBe(false);
    expect(nnsOf('936002004000000')).toMatchObject({ nns: '93600200', institution: 'Bank BTN' }); // its first 8 digits are BTN's
  });

  it('flags the anomalies: 93608161 (not 9360...) and the two NNS named twice (93600777, 93600037); only those', () => {
    const flagged = [...QRIS_NNS.values()].filter((e) => e.flag !== undefined).map((e) => e.nns);
    expect(flagged.sort()).toEqual(['93600037', '93600777', '93608161']);
    for (const [nns] of QRIS_NNS) if (nns !== '93608161') expect(nns.startsWith('9360')).toBe(true);
  });

  it('knows the NNS the issue names: SeaBank, Jago, Allo Bank, Digital BCA; and the switches of one', () => {
    expect(nnsOf('93600535')?.institution).toBe('SeaBank');
    expect(nnsOf('93600542')?.institution).toBe('Bank Jago');
    expect(nnsOf('93600567')?.institution).toBe('Allo Bank');
    expect(nnsOf('93600501')?.institution).toBe('Digital BCA (blu)');
    expect(nnsOf('936005350000000001')?.switches).toEqual(['Alto', 'Artajasa', 'Rintis']);
    expect(nnsOf('9360053')).toBeUndefined();
    expect(nnsOf(undefined)).toBeUndefined();
  });

  it('one table for info and validate: every NNS names the acquirer in info and passes QRIS_BAD_NNS; an unknown one does neither', () => {
    for (const [nns, e] of QRIS_NNS) {
      const p = withPan(nns + '0000000001');
      expect(info(p).accounts[0]!.acquirer, nns).toBe(e.institution);
      expect(acquirerByPan(nns + '01')).toBe(e.institution);
      expect(validate(p).issues, nns).toEqual([]);
    }
    const unknown = withPan('936099990000000001');
    expect(info(unknown).accounts[0]!.acquirer).toBeNull();
    expect(validate(unknown).issues.map((i) => i.code)).toEqual(['QRIS_BAD_NNS']);
  });

  it('no other module keeps an NNS list of its own (acquirers.ts and rules.ts read nns.ts)', () => {
    for (const f of ['src/qris/acquirers.ts', 'src/qris/rules.ts', 'src/qris/validate.ts', 'src/qris/info.ts']) {
      expect(readFileSync(f, 'utf8'), f).not.toMatch(/'9360\d{4}'\s*:/); // an object key: a table
    }
  });
});
