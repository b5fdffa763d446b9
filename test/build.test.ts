/**
 * build(): typed fields in, a valid payload out. Real corpus codes are rebuilt byte for byte from
 * the fields read off them by eye; invalid fields throw QrisError with the code and tag of the
 * field. Expected payloads are written by hand (or with the reference encoder and CRC).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { build, parse } from '../src/index.js';
import type { BuildFields, QrisErrorCode } from '../src/index.js';
import { buildCaseArb, crcOk, splitRef } from './qris-arbitraries.js';
import { thrown } from './expect-error.js';
import { tlv as t, withCrc } from './arbitraries.js';
import { findPayload } from './corpus-find.js';

const RUNS = { numRuns: 150 };

describe('build rebuilds real codes byte for byte', () => {
  it('BCA GREEN PAW (static, NMID, criteria, postal code, 62/07)', () => {
    expect(
      build({
        merchantName: 'GREEN PAW',
        merchantCity: 'TANGSEL',
        postalCode: '15323',
        mcc: '0742',
        accounts: [{ guid: 'ID.CO.BCA.WWW', pan: '936000140001287667', merchantId: '000885001287667', criteria: 'UKE' }],
        nmid: 'ID1021081861606',
        merchantCriteria: 'UKE',
        additionalData: { terminalLabel: 'A01' },
      }),
    ).toBe(findPayload('GREEN PAW'));
  });

  it('DOKU GUREUM SHOP (dynamic 1000 with a fixed fee of 500)', () => {
    expect(
      build({
        merchantName: 'GUREUM SHOP',
        merchantCity: 'JAKARTA PUSAT',
        postalCode: '10640',
        mcc: '5399',
        accounts: [{ guid: 'COM.DOKU.WWW', pan: '936008990000002475', merchantId: '2475', criteria: 'URE' }],
        nmid: 'ID1020039293482',
        merchantCriteria: 'URE',
        amount: 1000,
        fee: { type: 'fixed', value: 500 },
        additionalData: { terminalLabel: 'A01' },
      }),
    ).toBe(findPayload('GUREUM SHOP'));
  });

  it('OVO Tims Donuts (percentage fee 0.7, GPN national GUID, lowercase account GUID, 62/05 + 62/07)', () => {
    expect(
      build({
        merchantName: 'Tims Donuts',
        merchantCity: 'Jakarta Barat',
        postalCode: '11610',
        mcc: '5812',
        accounts: [{ guid: 'id.ovo', pan: '936009120000604962', merchantId: 'yq38ZDs7MI6oaz5', criteria: 'UKE' }],
        nationalGuid: 'ID.OR.GPNQR.WWW',
        nmid: 'ID1020041698835',
        merchantCriteria: 'UKE',
        amount: '500000',
        fee: { type: 'percent', value: '0.7' },
        additionalData: { terminalLabel: 'HgxK16eFVHfvKnGO', referenceLabel: 'VCcCtqJ' },
      }),
    ).toBe(findPayload('57030.7'));
  });

  it('Telkom InterActive Corp (two-decimal amount 25578.00, tip prompt)', () => {
    expect(
      build({
        merchantName: 'InterActive Corp',
        merchantCity: 'KOTA SURABAYA',
        postalCode: '60136',
        mcc: '5732',
        accounts: [{ guid: 'ID.CO.TELKOM.WWW', pan: '936008980255996627', merchantId: '000195255996627', criteria: 'UMI' }],
        nmid: 'ID1020021181745',
        merchantCriteria: 'UMI',
        amount: 25578,
        decimals: 2,
        fee: { type: 'prompt' },
        additionalData: { referenceLabel: '413255111' },
      }),
    ).toBe(findPayload('InterActive Corp'));
  });

  it('CIMB KLIKIT (QRNPG national GUID, NMID with letters, amount 13101.00)', () => {
    expect(
      build({
        merchantName: 'KLIKIT',
        merchantCity: 'JAKARTA',
        postalCode: '11730',
        mcc: '6010',
        accounts: [{ guid: 'ID.CO.CIMBNIAGA.WWW', pan: '936000220000009524', merchantId: '000008100017854', criteria: 'UME' }],
        nationalGuid: 'ID.OR.QRNPG.WWW',
        nmid: 'IDKIT3656355555',
        merchantCriteria: 'UME',
        amount: '13101',
        decimals: 2,
        additionalData: { referenceLabel: '259152', terminalLabel: '89860100' },
      }),
    ).toBe(findPayload('KLIKIT'));
  });

  it('BNI BW*MOBAZONE (no 62, GPN national GUID)', () => {
    expect(
      build({
        merchantName: 'BW*MOBAZONE',
        merchantCity: 'LABUHANBATU UTA',
        postalCode: '21457',
        mcc: '4814',
        accounts: [{ guid: 'ID.CO.BNI.WWW', pan: '936000091502115778', merchantId: '601702048', criteria: 'UMI' }],
        nationalGuid: 'ID.OR.GPNQR.WWW',
        nmid: 'ID1022172428727',
        merchantCriteria: 'UMI',
      }),
    ).toBe(findPayload('BW*MOBAZONE'));
  });
});

const MIN: BuildFields = {
  merchantName: 'TOKO',
  merchantCity: 'DEMAK',
  mcc: '5812',
  accounts: [{ guid: 'ID.DANA.WWW', pan: '936009153022591481' }],
  nmid: 'ID1020017611473',
};
const NAT = t('51', t('00', 'ID.CO.QRIS.WWW') + t('02', 'ID1020017611473'));
const MIN_ACCOUNT = t('26', t('00', 'ID.DANA.WWW') + t('01', '936009153022591481'));
const TAIL = '5802ID5904TOKO6005DEMAK';

describe('build output for typed fields', () => {
  it('the minimum: 00, 01 = 11, one account, 52, 53 = 360, 58 = ID, 59, 60, CRC', () => {
    expect(build(MIN)).toBe(withCrc('000201010211' + MIN_ACCOUNT + NAT + '52045812' + '5303360' + TAIL));
  });

  it('an amount makes it dynamic; decimals 2 formats both the amount and a fixed fee', () => {
    expect(build({ ...MIN, amount: 15000 })).toBe(withCrc('000201010212' + MIN_ACCOUNT + NAT + '52045812' + '5303360' + '540515000' + TAIL));
    expect(build({ ...MIN, amount: '15000.5', decimals: 2, fee: { type: 'fixed', value: '2500' } })).toBe(
      withCrc('000201010212' + MIN_ACCOUNT + NAT + '52045812' + '5303360' + '540815000.50' + '550202' + '56072500.00' + TAIL),
    );
    // A fee without an amount: a static code with a fee, as some real codes are.
    expect(build({ ...MIN, fee: { type: 'prompt' } })).toBe(withCrc('000201010211' + MIN_ACCOUNT + NAT + '52045812' + '5303360' + '550201' + TAIL));
  });

  it('several accounts: default tags 26, 27...; explicit tags are used and sorted', () => {
    const gopay = { guid: 'COM.GO-JEK.WWW', pan: '936009143580477092', merchantId: 'G580477092', criteria: 'URE' };
    const gopayText = t('00', 'COM.GO-JEK.WWW') + t('01', '936009143580477092') + t('02', 'G580477092') + t('03', 'URE');
    const danaText = t('00', 'ID.DANA.WWW') + t('01', '936009153022591481');
    expect(build({ ...MIN, accounts: [MIN.accounts[0]!, gopay] })).toBe(
      withCrc('000201010211' + t('26', danaText) + t('27', gopayText) + NAT + '52045812' + '5303360' + TAIL),
    );
    expect(build({ ...MIN, accounts: [{ ...gopay, tag: '40' }, MIN.accounts[0]!] })).toBe(
      withCrc('000201010211' + t('40', gopayText) + t('41', danaText) + NAT + '52045812' + '5303360' + TAIL),
    );
    expect(
      build({
        ...MIN,
        accounts: [
          { ...gopay, tag: '30' },
          { ...MIN.accounts[0]!, tag: '26' },
        ],
      }),
    ).toBe(withCrc('000201010211' + t('26', danaText) + t('30', gopayText) + NAT + '52045812' + '5303360' + TAIL));
  });

  it('NMID alone, criteria alone, custom national GUID', () => {
    expect(build({ ...MIN, nmid: 'ID1020017611473' })).toBe(
      withCrc('000201010211' + MIN_ACCOUNT + t('51', t('00', 'ID.CO.QRIS.WWW') + t('02', 'ID1020017611473')) + '52045812' + '5303360' + TAIL),
    );
    const { nmid: _n, ...noNmid } = MIN;
    expect(build({ ...noNmid, merchantCriteria: 'UMI', nationalGuid: 'ID.OR.GPNQR.WWW' })).toBe(
      withCrc('000201010211' + MIN_ACCOUNT + t('51', t('00', 'ID.OR.GPNQR.WWW') + t('03', 'UMI')) + '52045812' + '5303360' + TAIL),
    );
  });

  it('a static Indonesian code needs 51 (QRIS 4.7.7): without nmid or criteria build refuses it; a dynamic one does not', () => {
    const { nmid: _n, ...noNmid } = MIN;
    expect({ code: thrown(() => build(noNmid)).code, tag: thrown(() => build(noNmid)).tag }).toEqual({ code: 'BAD_FIELD', tag: '51' });
    expect(build({ ...noNmid, amount: 1000 })).toBe(withCrc('000201010212' + MIN_ACCOUNT + '52045812' + '5303360' + '54041000' + TAIL));
    // A non-Indonesian static code is judged by EMVCo rules alone: no 51 needed.
    expect(build({ ...noNmid, countryCode: 'MY', currency: '458' })).toBe(
      withCrc('000201010211' + MIN_ACCOUNT + '52045812' + '5303458' + '5802MY5904TOKO6005DEMAK'),
    );
  });

  it('additional data in sub-ID order whatever the key order, every key mapped to its sub-ID', () => {
    const ad = {
      merchantChannel: '211',
      merchantTaxId: 'NPWP1',
      consumerDataRequest: 'AME',
      purpose: 'BOOK',
      terminalLabel: 'T1',
      customerLabel: '***',
      referenceLabel: 'R1',
      loyaltyNumber: 'L1',
      storeLabel: 'S1',
      mobileNumber: '0812',
      billNumber: 'B1',
    };
    const value =
      t('01', 'B1') +
      t('02', '0812') +
      t('03', 'S1') +
      t('04', 'L1') +
      t('05', 'R1') +
      t('06', '***') +
      t('07', 'T1') +
      t('08', 'BOOK') +
      t('09', 'AME') +
      t('10', 'NPWP1') +
      t('11', '211');
    expect(build({ ...MIN, additionalData: ad })).toBe(withCrc('000201010211' + MIN_ACCOUNT + NAT + '52045812' + '5303360' + TAIL + t('62', value)));
    // Undefined values are skipped; an object with no value left writes no 62.
    expect(build({ ...MIN, additionalData: { billNumber: undefined } })).toBe(build(MIN));
  });

  it('language template with UTF-8 names, postal code, other country and currency', () => {
    expect(build({ ...MIN, postalCode: '59567', language: { preference: 'ZH', merchantName: '最佳运输', merchantCity: '北京' } })).toBe(
      withCrc('000201010211' + MIN_ACCOUNT + NAT + '52045812' + '5303360' + TAIL + '610559567' + t('64', '0002ZH' + t('01', '最佳运输') + t('02', '北京'))),
    );
    expect(build({ ...MIN, language: { preference: 'id', merchantName: 'Toko 😀' } })).toBe(
      withCrc('000201010211' + MIN_ACCOUNT + NAT + '52045812' + '5303360' + TAIL + t('64', '0002id' + t('01', 'Toko 😀'))),
    );
    expect(build({ ...MIN, countryCode: 'MY', currency: '458' })).toBe(
      withCrc('000201010211' + MIN_ACCOUNT + NAT + '52045812' + '5303458' + '5802MY5904TOKO6005DEMAK'),
    );
  });

  it('non-ASCII merchant names are refused (59 is ans, printable ASCII); 64 carries them and the CRC covers UTF-8 bytes', () => {
    expect({
      code: thrown(() => build({ ...MIN, merchantName: 'Kopi Señor Café 😀' })).code,
      tag: thrown(() => build({ ...MIN, merchantName: 'Kopi Señor Café 😀' })).tag,
    }).toEqual({ code: 'BAD_FIELD', tag: '59' });
    const out = build({ ...MIN, language: { preference: 'ES', merchantName: 'Kopi Señor Café 😀' } });
    expect(out).toBe(withCrc('000201010211' + MIN_ACCOUNT + NAT + '52045812' + '5303360' + TAIL + t('64', '0002ES' + t('01', 'Kopi Señor Café 😀'))));
    expect(crcOk(out)).toBe(true);
  });

  it('never writes a trailing-dot amount or fee, and reads its limits from the rule table', () => {
    expect(thrown(() => build({ ...MIN, amount: '1000.' })).code).toBe('BAD_AMOUNT');
    expect(thrown(() => build({ ...MIN, fee: { type: 'fixed', value: '500.' } })).code).toBe('BAD_FEE');
    expect(thrown(() => build({ ...MIN, fee: { type: 'percent', value: '5.' } })).code).toBe('BAD_FEE');
    // 59 at most 25, 60 at most 15 (RULES): the message names the limit before any validation.
    expect(thrown(() => build({ ...MIN, merchantName: 'N'.repeat(26) })).message).toContain('at most 25');
    expect(thrown(() => build({ ...MIN, merchantCity: 'C'.repeat(16) })).message).toContain('at most 15');
    expect(build({ ...MIN, merchantName: 'N'.repeat(25), merchantCity: 'C'.repeat(15) })).toContain('5925' + 'N'.repeat(25) + '6015' + 'C'.repeat(15));
  });

  it('an unpaired surrogate in any field is refused (it has no UTF-8 form)', () => {
    expect(thrown(() => build({ ...MIN, language: { preference: 'ID', merchantName: 'Toko \ud800' } })).code).toBe('BAD_FIELD');
  });

  it('property: output has a valid reference CRC, parses, root IDs ascending, 01 = 12 exactly when an amount is given', () => {
    fc.assert(
      fc.property(buildCaseArb, ({ fields, amountText, feeText }) => {
        const out = build(fields);
        expect(crcOk(out)).toBe(true);
        expect(() => parse(out)).not.toThrow();
        const root = splitRef(out);
        expect(root.at(-1)?.id).toBe('63');
        const ids = root.slice(0, -1).map((n) => Number(n.id));
        expect(ids).toEqual([...ids].sort((a, b) => a - b));
        const v = (id: string) => root.find((n) => n.id === id)?.value;
        expect(v('01')).toBe(fields.amount === undefined ? '11' : '12');
        expect(v('54')).toBe(amountText);
        expect(v('56') ?? v('57')).toBe(feeText);
        expect(v('59')).toBe(fields.merchantName);
        expect(v('60')).toBe(fields.merchantCity);
      }),
      RUNS,
    );
  });
});

describe('build refuses invalid fields', () => {
  const cases: [string, unknown, QrisErrorCode, string | undefined][] = [
    ['empty merchant name', { ...MIN, merchantName: '' }, 'BAD_FIELD', '59'],
    ['merchant name of 26 characters', { ...MIN, merchantName: 'INFAQ/SEDEKAH AMANAH ASTRA' }, 'BAD_FIELD', '59'],
    ['merchant name that is a number', { ...MIN, merchantName: 42 }, 'BAD_FIELD', '59'],
    ['merchant name with a newline', { ...MIN, merchantName: 'TOKO\nJAYA' }, 'BAD_FIELD', '59'],
    ['merchant city of 16 characters', { ...MIN, merchantCity: 'KABUPATEN BANDUN' }, 'BAD_FIELD', '60'],
    ['missing merchant city', { ...MIN, merchantCity: undefined }, 'BAD_FIELD', '60'],
    ['MCC with a letter', { ...MIN, mcc: '58A2' }, 'BAD_FIELD', '52'],
    ['3-digit MCC', { ...MIN, mcc: '111' }, 'BAD_FIELD', '52'],
    ['MCC as a number', { ...MIN, mcc: 5812 }, 'BAD_FIELD', '52'],
    ['currency IDR (letters)', { ...MIN, currency: 'IDR' }, 'BAD_FIELD', '53'],
    ['Indonesian code in USD', { ...MIN, currency: '840' }, 'BAD_FIELD', '53'],
    ['country code IDN', { ...MIN, countryCode: 'IDN' }, 'BAD_FIELD', '58'],
    ['postal code of 11 characters', { ...MIN, postalCode: '12345678901' }, 'BAD_FIELD', '61'],
    ['no accounts', { ...MIN, accounts: [] }, 'BAD_FIELD', '26'],
    ['accounts missing', { ...MIN, accounts: undefined }, 'BAD_FIELD', '26'],
    ['a null account', { ...MIN, accounts: [null] }, 'BAD_FIELD', '26'],
    ['account tag 25', { ...MIN, accounts: [{ ...MIN.accounts[0]!, tag: '25' }] }, 'BAD_FIELD', '25'],
    ['account tag 51 (the national template)', { ...MIN, accounts: [{ ...MIN.accounts[0]!, tag: '51' }] }, 'BAD_FIELD', '51'],
    ['account tag not two digits', { ...MIN, accounts: [{ ...MIN.accounts[0]!, tag: '3' }] }, 'BAD_FIELD', '3'],
    [
      'the same account tag twice',
      {
        ...MIN,
        accounts: [
          { ...MIN.accounts[0]!, tag: '26' },
          { ...MIN.accounts[0]!, tag: '26' },
        ],
      },
      'BAD_FIELD',
      '26',
    ],
    ['empty GUID', { ...MIN, accounts: [{ guid: '' }] }, 'BAD_FIELD', '26/00'],
    ['empty PAN', { ...MIN, accounts: [{ guid: 'ID.DANA.WWW', pan: '' }] }, 'BAD_FIELD', '26/01'],
    ['merchant ID with a control character', { ...MIN, accounts: [{ guid: 'ID.DANA.WWW', merchantId: 'M\u00071' }] }, 'BAD_FIELD', '26/02'],
    ['empty criteria', { ...MIN, accounts: [{ guid: 'ID.DANA.WWW', criteria: '' }] }, 'BAD_FIELD', '26/03'],
    ['empty NMID', { ...MIN, nmid: '' }, 'BAD_FIELD', '51/02'],
    ['amount zero', { ...MIN, amount: 0 }, 'BAD_AMOUNT', '54'],
    ['amount with an exponent', { ...MIN, amount: '1e5' }, 'BAD_AMOUNT', '54'],
    ['amount with cents on integer output', { ...MIN, amount: '10.5' }, 'BAD_AMOUNT', '54'],
    ['amount above maxAmount', { ...MIN, amount: 2000, maxAmount: 1000 }, 'BAD_AMOUNT', '54'],
    ['fixed fee zero', { ...MIN, fee: { type: 'fixed', value: 0 } }, 'BAD_FEE', '56'],
    ['percentage fee 100', { ...MIN, fee: { type: 'percent', value: 100 } }, 'BAD_FEE', '57'],
    ['unknown fee type', { ...MIN, fee: { type: 'tip' } }, 'BAD_FEE', '55'],
    ['fee null', { ...MIN, fee: null }, 'BAD_FEE', '55'],
    ['unknown additional data key', { ...MIN, additionalData: { invoice: 'X' } }, 'BAD_FIELD', '62'],
    ['additional data key "constructor" (an Object.prototype member)', { ...MIN, additionalData: { constructor: 'X' } }, 'BAD_FIELD', '62'],
    ['additional data key "toString"', { ...MIN, additionalData: { toString: 'X' } }, 'BAD_FIELD', '62'],
    ['bill number of 26 characters', { ...MIN, additionalData: { billNumber: 'B'.repeat(26) } }, 'BAD_FIELD', '62/01'],
    ['empty bill number', { ...MIN, additionalData: { billNumber: '' } }, 'BAD_FIELD', '62/01'],
    ['consumer data request X', { ...MIN, additionalData: { consumerDataRequest: 'X' } }, 'BAD_FIELD', '62/09'],
    [
      'additional data over 99 characters',
      { ...MIN, additionalData: { billNumber: 'B'.repeat(25), storeLabel: 'S'.repeat(25), terminalLabel: 'T'.repeat(25), purpose: 'P'.repeat(25) } },
      'VALUE_TOO_LONG',
      '62',
    ],
    ['language preference ZHO', { ...MIN, language: { preference: 'ZHO', merchantName: 'Toko' } }, 'BAD_FIELD', '64/00'],
    ['alternate name of 26 characters', { ...MIN, language: { preference: 'ZH', merchantName: '最'.repeat(26) } }, 'BAD_FIELD', '64/01'],
    ['alternate name with a newline', { ...MIN, language: { preference: 'ID', merchantName: 'Toko\nJaya' } }, 'BAD_FIELD', '64/01'],
    ['alternate city of 16 characters', { ...MIN, language: { preference: 'ZH', merchantName: '最佳', merchantCity: '北'.repeat(16) } }, 'BAD_FIELD', '64/02'],
    ['language null', { ...MIN, language: null }, 'BAD_FIELD', '64'],
    ['fields null', null, 'BAD_FIELD', undefined],
    ['fields a string', 'TOKO', 'BAD_FIELD', undefined],
  ];

  it.each(cases)('%s', (_name, fields, code, tag) => {
    const err = thrown(() => build(fields as BuildFields));
    expect({ code: err.code, tag: err.tag }).toEqual({ code, tag });
  });

  it('a payload over 512 characters (a SHOULD for readers) is refused with OUTPUT_TOO_LONG; 512 is built', () => {
    const acc = (mid: number) => ({ guid: 'COM.EXAMPLE.' + 'X'.repeat(20), merchantId: 'M'.repeat(mid) });
    const small = build({ ...MIN, accounts: [acc(40), acc(40), acc(40), acc(40), acc(1)] });
    const grow = 512 - small.length;
    expect(grow).toBeGreaterThan(0);
    expect(build({ ...MIN, accounts: [acc(40), acc(40), acc(40), acc(40), acc(1 + grow)] })).toHaveLength(512);
    expect(thrown(() => build({ ...MIN, accounts: [acc(40), acc(40), acc(40), acc(40), acc(2 + grow)] })).code).toBe('OUTPUT_TOO_LONG');
  });
});
