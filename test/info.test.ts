/**
 * info(): every field of QrisInfo on real corpus entries (expected values read by eye from the
 * payload text, ID by ID) and on generated / built payloads (expected values from the generator).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { build, info, parse, QrisError, toDynamic } from '../src/index.js';
import type { QrisInfo } from '../src/index.js';
import corpus from '../fixtures/dev-payloads.json' with { type: 'json' };
import { buildCaseArb, crcRef, ISSUERS, pad2, staticCaseArb, splitRef } from './qris-arbitraries.js';
import { tlv as t, withCrc } from './arbitraries.js';
import { findPayload } from './corpus-find.js';

const RUNS = { numRuns: 150 };

const crcOf = (payload: string) => ({ declared: payload.slice(-4), computed: payload.slice(-4).toUpperCase(), valid: true });

describe('info on real corpus entries (every field, read by eye)', () => {
  it('DANA static (Warung Sayur Bu Sugeng): accounts, national template, no amount, no 62', () => {
    const p = findPayload('Warung Sayur Bu Sugeng');
    const expected: QrisInfo = {
      kind: 'payment',
      payloadFormat: '01',
      pointOfInitiation: '11',
      isDynamic: false,
      merchantName: 'Warung Sayur Bu Sugeng',
      merchantCity: 'Kab. Demak',
      postalCode: '59567',
      countryCode: 'ID',
      currency: { numeric: '360', code: 'IDR' },
      mcc: '5812',
      nmid: 'ID1020017611473',
      merchantCriteria: 'UMI',
      national: { guid: 'ID.CO.QRIS.WWW', nmid: 'ID1020017611473', criteria: 'UMI' },
      accounts: [{ tag: '26', guid: 'ID.DANA.WWW', acquirer: 'DANA', pan: '936009153022591481', nns: '93600915', merchantId: '022591481', criteria: 'UMI' }],
      crc: { declared: '58C7', computed: '58C7', valid: true },
    };
    expect(info(p)).toEqual(expected);
  });

  it('DOKU dynamic (GUREUM SHOP): amount 1000, fixed fee 500, 62/07', () => {
    const p = findPayload('GUREUM SHOP');
    expect(info(p)).toEqual({
      kind: 'payment',
      payloadFormat: '01',
      pointOfInitiation: '12',
      isDynamic: true,
      merchantName: 'GUREUM SHOP',
      merchantCity: 'JAKARTA PUSAT',
      postalCode: '10640',
      countryCode: 'ID',
      currency: { numeric: '360', code: 'IDR' },
      mcc: '5399',
      amount: { text: '1000', value: 1000 },
      tipIndicator: '02',
      tip: { type: 'fixed', value: '500' },
      nmid: 'ID1020039293482',
      merchantCriteria: 'URE',
      national: { guid: 'ID.CO.QRIS.WWW', nmid: 'ID1020039293482', criteria: 'URE' },
      accounts: [{ tag: '26', guid: 'COM.DOKU.WWW', acquirer: 'DOKU', pan: '936008990000002475', nns: '93600899', merchantId: '2475', criteria: 'URE' }],
      additionalData: { terminalLabel: 'A01' },
      crc: { declared: 'FD26', computed: 'FD26', valid: true },
    });
  });

  it('OVO dynamic with a percentage fee: lowercase GUID id.ovo, GPN national GUID, 62/05 and 62/07', () => {
    const p = findPayload('57030.7');
    expect(info(p)).toEqual({
      kind: 'payment',
      payloadFormat: '01',
      pointOfInitiation: '12',
      isDynamic: true,
      merchantName: 'Tims Donuts',
      merchantCity: 'Jakarta Barat',
      postalCode: '11610',
      countryCode: 'ID',
      currency: { numeric: '360', code: 'IDR' },
      mcc: '5812',
      amount: { text: '500000', value: 500000 },
      tipIndicator: '03',
      tip: { type: 'percent', value: '0.7' },
      nmid: 'ID1020041698835',
      merchantCriteria: 'UKE',
      national: { guid: 'ID.OR.GPNQR.WWW', nmid: 'ID1020041698835', criteria: 'UKE' },
      accounts: [{ tag: '26', guid: 'id.ovo', acquirer: 'OVO', pan: '936009120000604962', nns: '93600912', merchantId: 'yq38ZDs7MI6oaz5', criteria: 'UKE' }],
      additionalData: { referenceLabel: 'VCcCtqJ', terminalLabel: 'HgxK16eFVHfvKnGO' },
      crc: { declared: '265F', computed: '265F', valid: true },
    });
  });

  it('BCA dynamic with GUID "00" and no 51: acquirer from the NNS, 62/99 kept raw in other', () => {
    const p = findPayload('OMBE KOFIE-HO');
    expect(info(p)).toEqual({
      kind: 'payment',
      payloadFormat: '01',
      pointOfInitiation: '12',
      isDynamic: true,
      merchantName: 'OMBE KOFIE-HO',
      merchantCity: 'JAKARTA UTARA',
      postalCode: '14240',
      countryCode: 'ID',
      currency: { numeric: '360', code: 'IDR' },
      mcc: '5411',
      amount: { text: '49500', value: 49500 },
      accounts: [{ tag: '26', guid: '00', acquirer: 'Bank BCA', pan: '936000143000616438', nns: '93600014', merchantId: '000885000616438', criteria: 'UKE' }],
      additionalData: { billNumber: '110932', referenceLabel: '110013110932', terminalLabel: 'AG205211', other: { '99': '0002000107DINAMIS' } },
      crc: { declared: '9414', computed: '9414', valid: true },
    });
  });

  it('Telkom dynamic: two-decimal amount 25578.00 and a tip prompt (55 = 01)', () => {
    const i = info(findPayload('InterActive Corp'));
    expect(i.amount).toEqual({ text: '25578.00', value: 25578 });
    expect(i.tipIndicator).toBe('01');
    expect(i.tip).toEqual({ type: 'prompt' });
    expect(i.accounts).toEqual([
      {
        tag: '26',
        guid: 'ID.CO.TELKOM.WWW',
        acquirer: 'Telkom Indonesia',
        pan: '936008980255996627',
        nns: '93600898',
        merchantId: '000195255996627',
        criteria: 'UMI',
      },
    ]);
    expect(i.additionalData).toEqual({ referenceLabel: '413255111' });
    expect(i.postalCode).toBe('60136');
  });

  it('synthetic dynamic with only 51 (ID.CO.QRIS.WWW carrying a PAN): national template, no accounts', () => {
    const i = info(findPayload('DYNAMIC MERCH'));
    expect(i.national).toEqual({ guid: 'ID.CO.QRIS.WWW', nmid: 'ID1020012345678', criteria: 'URE' });
    expect(i.nmid).toBe('ID1020012345678');
    expect(i.accounts).toEqual([]);
    expect(i.amount).toEqual({ text: '100000', value: 100000 });
    expect(i.postalCode).toBeUndefined();
    expect(i.additionalData).toBeUndefined();
  });

  it('Jalin: an Indonesian 51 with a non-QRIS GUID is still the national template', () => {
    const i = info(findPayload('Merchant Jalin UAT'));
    expect(i.national).toEqual({ guid: 'ID.CO.JALIN.WWW', nmid: 'ID1019002135136', criteria: 'UMI' });
    expect(i.accounts).toEqual([
      { tag: '26', guid: 'ID.CO.JALIN.WWW', acquirer: 'Jalin', pan: '936009162378466933', nns: '93600916', merchantId: '199543218765434', criteria: 'UMI' },
    ]);
    expect(i.additionalData).toEqual({ storeLabel: '777', terminalLabel: '8321843', purpose: 'V4L1D4T1N6' });
  });

  it('ShopeePay transfer (tag 40, DMCT): account in 40, purpose DMCT, dynamic without amount', () => {
    const i = info(findPayload('0804DMCT9935'));
    expect(i.isDynamic).toBe(true);
    expect(i.amount).toBeUndefined();
    expect(i.accounts).toEqual([
      { tag: '40', guid: 'ID.CO.SHOPEE.WWW', acquirer: 'ShopeePay', pan: '000000000000000000', nns: '00000000', merchantId: '000000000' },
    ]);
    expect(i.additionalData).toEqual({ purpose: 'DMCT', other: { '99': '0'.repeat(35) } });
    expect(i.national).toBeUndefined();
  });

  it('Chinese code: language template, unknown AIDs give acquirer null, CNY, prompt tip, 62/09', () => {
    const i = info(findPayload('BEST TRANSPORT'));
    expect(i.language).toEqual({ preference: 'ZH', merchantName: '最佳运输', merchantCity: '北京' });
    expect(i.currency).toEqual({ numeric: '156', code: 'CNY' });
    expect(i.countryCode).toBe('CN');
    expect(i.amount).toEqual({ text: '23.72', value: 23.72 });
    expect(i.tip).toEqual({ type: 'prompt' });
    expect(i.accounts).toEqual([
      { tag: '29', guid: 'D15600000000', acquirer: null },
      { tag: '31', guid: 'D15600000001', acquirer: null, criteria: '12345678' },
    ]);
    expect(i.additionalData).toEqual({ storeLabel: '1234', customerLabel: '***', terminalLabel: 'A6008667', consumerDataRequest: 'ME' });
    expect(i.national).toBeUndefined();
    expect(i.crc).toEqual({ declared: '7D4F', computed: '7D4F', valid: true });
  });

  it('Thai PromptPay: no 52/59/60, THB, unknown NNS-looking PAN prefix gives acquirer null (not a guess)', () => {
    const p = findPayload('540520.15');
    expect(info(p)).toEqual({
      kind: 'payment',
      payloadFormat: '01',
      pointOfInitiation: '12',
      isDynamic: true,
      countryCode: 'TH',
      currency: { numeric: '764', code: 'THB' },
      amount: { text: '20.15', value: 20.15 },
      accounts: [{ tag: '29', guid: 'A000000677010111', acquirer: null, pan: '0066801111111', nns: '00668011' }],
      crc: { declared: '42BE', computed: '42BE', valid: true },
      scheme: { profile: 'promptpay', name: 'PromptPay (Thailand)', targetType: 'mobile', target: '0066801111111' },
    });
  });

  it('Brazil Pix without 01: pointOfInitiation absent, isDynamic false, BRL; a UUID PAN has no NNS and no acquirer', () => {
    const i = info(findPayload('[Pix.ae]'));
    expect(i.pointOfInitiation).toBeUndefined();
    expect(i.isDynamic).toBe(false);
    expect(i.currency).toEqual({ numeric: '986', code: 'BRL' });
    expect(i.accounts).toEqual([{ tag: '26', guid: 'br.gov.bcb.pix', acquirer: null, pan: '403f6c37-bb1d-48aa-a61c-0f6a205764d8', merchantId: '[Pix.ae]' }]);
    expect(i.merchantName).toBe('Pix');
  });

  it('Malaysia DuitNow: payload format 02 is reported as written, CRC 00D7 zero-padded', () => {
    const i = info(findPayload('TAKOYAKI'));
    expect(i.payloadFormat).toBe('02');
    expect(i.currency).toEqual({ numeric: '458', code: 'MYR' });
    expect(i.crc).toEqual({ declared: '00D7', computed: '00D7', valid: true });
  });

  it('every CRC-valid corpus entry: info does not throw, crc.valid, and 59/60/54 match the reference splitter', () => {
    for (const e of corpus.filter((x) => x.crc_valid)) {
      const i = info(e.payload);
      const root = splitRef(e.payload);
      const v = (id: string) => root.find((n) => n.id === id)?.value;
      expect(i.crc).toEqual(crcOf(e.payload));
      expect(i.merchantName).toBe(v('59'));
      expect(i.merchantCity).toBe(v('60'));
      expect(i.amount?.text).toBe(v('54'));
      expect(i.isDynamic).toBe(v('01') === '12');
      expect(i.isDynamic).toBe(e.kind === 'dynamic');
    }
  });
});

describe('acquirer lookup', () => {
  const payloadWith = (guid: string | undefined, pan: string | undefined): string =>
    withCrc(
      '000201010211' +
        t('26', (guid === undefined ? '' : t('00', guid)) + (pan === undefined ? '' : t('01', pan))) +
        '52045812' +
        '5303360' +
        '5802ID5904TOKO6005DEMAK',
    );

  it.each<[string, string | undefined, string | undefined, string | null]>([
    ['known GUID', 'ID.CO.BRI.WWW', '936000020042854138', 'Bank BRI'],
    ['known GUID, lowercase', 'id.co.bri.www', undefined, 'Bank BRI'],
    ["known GUID wins over another issuer's NNS", 'COM.GO-JEK.WWW', '936009150000000001', 'GoPay'],
    ['unknown GUID, known NNS (Mandiri)', 'ID.CO.EXAMPLE.WWW', '936000080177729828', 'Bank Mandiri'],
    ['AID GUID, known NNS (BSI)', 'A000000602', '936004510000080974', 'Bank Syariah Indonesia'],
    ['no GUID, known NNS (ShopeePay)', undefined, '936009180023797057', 'ShopeePay'],
    ['unknown GUID and unknown NNS', 'ID.CO.EXAMPLE.WWW', '936099990000000001', null],
    ['unknown GUID, PAN shorter than 8', 'ID.CO.EXAMPLE.WWW', '9360091', null],
    ['GUID that is a prefix of a known one', 'ID.CO.BRI', undefined, null],
    ['GUID with surrounding text', 'XID.DANA.WWW', undefined, null],
  ])('%s', (_name, guid, pan, acquirer) => {
    const [account] = info(payloadWith(guid, pan)).accounts;
    expect(account?.acquirer).toBe(acquirer);
    expect(account?.guid).toBe(guid);
    expect(account?.pan).toBe(pan);
  });

  it('nns is the 8-digit PAN prefix only when those 8 characters are digits', () => {
    expect(info(payloadWith('ID.CO.BRI.WWW', '93600002ABC')).accounts[0]!.nns).toBe('93600002');
    expect(info(payloadWith('ID.CO.BRI.WWW', 'ID1026524568')).accounts[0]!.nns).toBeUndefined();
    expect(info(payloadWith('ID.CO.BRI.WWW', '9360000')).accounts[0]!.nns).toBeUndefined();
  });

  it('property: every generated account reports its issuer by GUID (ISSUERS table) and its NNS', () => {
    const byGuid = new Map(ISSUERS.map(([g, nns, name]) => [g, { nns, name }]));
    fc.assert(
      fc.property(staticCaseArb(), (c) => {
        const i = info(c.payload);
        const expectedTags = c.nodes.filter((n) => Number(n.id) >= 26 && Number(n.id) <= 45).map((n) => n.id);
        expect(i.accounts.map((a) => a.tag)).toEqual(expectedTags);
        for (const a of i.accounts) {
          const issuer = byGuid.get(a.guid!)!;
          expect(a.acquirer).toBe(issuer.name);
          expect(a.nns).toBe(issuer.nns);
          expect(a.pan!.startsWith(issuer.nns)).toBe(true);
        }
      }),
      RUNS,
    );
  });
});

describe('info and broken input', () => {
  it('never throws on a CRC mismatch: crc.valid is false with the declared and computed CRCs', () => {
    const dana = findPayload('Warung Sayur Bu Sugeng');
    const bad = dana.slice(0, -4) + '0000';
    const i = info(bad);
    expect(i.crc).toEqual({ declared: '0000', computed: '58C7', valid: false });
    expect(i.merchantName).toBe('Warung Sayur Bu Sugeng');
    const banrisul = info(findPayload('banrisul'));
    expect(banrisul.crc).toEqual({ declared: 'DAA6', computed: 'DAA5', valid: false });
    expect(banrisul.merchantName).toBe('Banrisul');
  });

  it('a lowercase CRC that matches is valid and reported as written', () => {
    const dana = findPayload('Warung Sayur Bu Sugeng');
    expect(info(dana.slice(0, -4) + '58c7').crc).toEqual({ declared: '58c7', computed: '58C7', valid: true });
  });

  it('throws QrisError only for broken structure', () => {
    for (const [key, code] of [
      ['Yann%20Store', 'BAD_ID'],
      ['AYAM JUKUT CABE IJO', 'CRC_MISSING'],
      ['KOMA MINIMAL', 'BAD_LENGTH'],
    ] as const) {
      let caught: unknown;
      try {
        info(findPayload(key));
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(QrisError);
      expect((caught as QrisError).code).toBe(code);
    }
    expect(() => info(42 as unknown as string)).toThrow(QrisError);
  });

  it('semantic problems are described, not thrown: bad amount text gives value NaN, 55 = 02 without 56 gives no tip', () => {
    const body = '000201010212' + t('26', t('00', 'ID.DANA.WWW')) + '52045812' + '5303360';
    const i = info(withCrc(body + '54031e5' + '550202' + '5802ID5904TOKO6005DEMAK'));
    expect(i.amount!.text).toBe('1e5');
    expect(i.amount!.value).toBeNaN();
    expect(i.tipIndicator).toBe('02');
    expect(i.tip).toBeUndefined();
    const j = info(withCrc(body + '5405-1000' + '550204' + '5802ID5904TOKO6005DEMAK'));
    expect(j.amount!.value).toBeNaN();
    expect(j.tipIndicator).toBe('04');
    expect(j.tip).toBeUndefined();
  });

  it('trailing-dot amounts and fees (valid EMVCo text: 98., 1000., 5.) are read with their value; toDynamic never writes one', () => {
    const body = '000201010212' + t('26', t('00', 'ID.DANA.WWW') + t('01', '936009153022591481')) + '52045812' + '5303360';
    const i = info(withCrc(body + '540398.' + '550202' + '56051000.' + '5802ID5904TOKO6005DEMAK'));
    expect(i.amount).toEqual({ text: '98.', value: 98 });
    expect(i.tip).toEqual({ type: 'fixed', value: '1000.' });
    const j = info(withCrc(body + '54051000.' + '550203' + '57025.' + '5802ID5904TOKO6005DEMAK'));
    expect(j.amount).toEqual({ text: '1000.', value: 1000 });
    expect(j.tip).toEqual({ type: 'percent', value: '5.' });
    const replaced = toDynamic(withCrc(body + '540398.' + '5802ID5904TOKO6005DEMAK'), { amount: 98, replaceAmount: true });
    expect(info(replaced).amount).toEqual({ text: '98', value: 98 });
  });

  it('a payload of 513-4096 characters is read (512 is a SHOULD); over 4096 is TOO_LONG', () => {
    const body = '000201010211' + t('26', t('00', 'ID.DANA.WWW') + t('01', '936009153022591481')) + '52045812' + '5303360' + '5802ID5904TOKO6005DEMAK';
    const fill = Array.from({ length: 10 }, (_, k) => t(String(65 + k), t('00', 'F'.repeat(95)))).join('');
    const p = withCrc(body + fill);
    expect(p.length).toBeGreaterThan(512);
    expect(info(p).merchantName).toBe('TOKO');
    expect(() => info('0'.repeat(5_000_000))).toThrow(expect.objectContaining({ code: 'TOO_LONG' }));
  });

  it('62 sub-objects 12-99 go to other; an unknown currency has no letter code', () => {
    const p = withCrc(
      '000201010211' +
        t('26', t('00', 'ID.DANA.WWW') + t('01', '936009151111111111')) +
        '52045812' +
        '5303999' +
        '5802ID5904TOKO6005DEMAK' +
        t('62', t('01', 'B1') + t('12', 'RFU') + t('50', t('00', 'ID.CO.X.WWW'))) +
        t('64', t('00', 'ID')),
    );
    const i = info(p);
    expect(i.currency).toEqual({ numeric: '999' });
    expect(i.additionalData).toEqual({ billNumber: 'B1', other: { '12': 'RFU', '50': '0011ID.CO.X.WWW' } });
    expect(i.accounts[0]!.pan).toBe('936009151111111111');
    expect(i.language).toEqual({ preference: 'ID' });
  });

  it('a sub-ID repeated in a template info reads (26-51, 62, 64) is refused with DUPLICATE_SUB_ID (tag, offset of the second copy), never one copy picked', () => {
    const account = t('26', t('00', 'ID.DANA.WWW') + t('01', '936009151111111111'));
    const tail = '52045812' + '5303360' + '5802ID5904TOKO6005DEMAK';
    const cases: [string, string, string][] = [
      // Two PANs: a payer's app may pay either one.
      [
        '26/01',
        withCrc('000201010211' + t('26', t('00', 'ID.DANA.WWW') + t('01', '936009151111111111') + t('01', '936000142222222222')) + tail),
        '0118936000142222222222',
      ],
      [
        '51/02',
        withCrc('000201010211' + account + t('51', t('00', 'ID.CO.QRIS.WWW') + t('02', 'ID1020017611473') + t('02', 'ID1029999999999')) + tail),
        '0215ID1029999999999',
      ],
      // The issue's case: toDynamic used to keep both bill numbers, and info reported the old one.
      [
        '62/01',
        withCrc('000201010212' + account + tail.replace('5303360', '530336054041000') + t('62', t('01', 'NEW') + t('07', 'A01') + t('01', 'OLD'))),
        '0103OLD',
      ],
      ['64/01', withCrc('000201010211' + account + tail + t('64', t('00', 'ZH') + t('01', 'Toko A') + t('01', 'Toko B'))), '0106Toko B'],
    ];
    for (const [tag, p, second] of cases) {
      const err = (() => {
        try {
          info(p);
        } catch (e) {
          return e as QrisError;
        }
        throw new Error(`info accepted a repeated ${tag}`);
      })();
      expect(err).toBeInstanceOf(QrisError);
      expect([err.code, err.tag, err.offset], tag).toEqual(['DUPLICATE_SUB_ID', tag, p.lastIndexOf(second)]);
    }
    // A parse result is refused the same way; a 62/50-99 template (kept raw in other) is not read inside.
    expect(() => info(parse(cases[0]![1]))).toThrow(expect.objectContaining({ code: 'DUPLICATE_SUB_ID', tag: '26/01' }));
    const nested = withCrc('000201010211' + account + tail + t('62', t('50', t('00', 'A') + t('00', 'B'))));
    expect(info(nested).additionalData).toEqual({ other: { '50': '0001A0001B' } });
  });

  it('a non-Indonesian 51 with a non-national GUID is an account; with a national GUID it is the national template', () => {
    const account = (guid: string) => t('51', t('00', guid) + t('01', '936000140001287667') + t('02', 'ID1021081861606'));
    const foreign = info(withCrc('000201010211' + account('COM.EXAMPLE.PAY') + '52045812' + '5303458' + '5802MY5905KEDAI6002KL'));
    expect(foreign.national).toBeUndefined();
    expect(foreign.accounts).toEqual([
      { tag: '51', guid: 'COM.EXAMPLE.PAY', acquirer: 'Bank BCA', pan: '936000140001287667', nns: '93600014', merchantId: 'ID1021081861606' },
    ]);
    const national = info(withCrc('000201010211' + account('id.co.qris.www') + '52045812' + '5303458' + '5802MY5905KEDAI6002KL'));
    expect(national.accounts).toEqual([]);
    expect(national.national).toEqual({ guid: 'id.co.qris.www', nmid: 'ID1021081861606' });
  });

  it('accepts a parse result as well as a string', () => {
    const p = findPayload('GUREUM SHOP');
    expect(info(parse(p))).toEqual(info(p));
  });
});

describe('info on generated and built payloads', () => {
  it('property: static payloads report 59, 60, 52, 58, 61, 01 and no amount as generated', () => {
    fc.assert(
      fc.property(staticCaseArb(), (c) => {
        const i = info(c.payload);
        const v = (id: string) => c.nodes.find((n) => n.id === id)?.value;
        expect(i.merchantName).toBe(v('59'));
        expect(i.merchantCity).toBe(v('60'));
        expect(i.mcc).toBe(v('52'));
        expect(i.countryCode).toBe('ID');
        expect(i.postalCode).toBe(v('61'));
        expect(i.pointOfInitiation).toBe('11');
        expect(i.isDynamic).toBe(false);
        expect(i.amount).toBeUndefined();
        expect(i.crc.valid).toBe(true);
        expect(i.crc.computed).toBe(crcRef(c.payload.slice(0, -4)));
        expect(i.tipIndicator).toBe(v('55'));
      }),
      RUNS,
    );
  });

  it('property: after toDynamic, info reports isDynamic, the amount text and value, and the fee', () => {
    fc.assert(
      fc.property(staticCaseArb({ existingFee: false }), fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 0, max: 99 }), (c, rupiah, cents) => {
        const text = `${rupiah}.${pad2(cents)}`;
        const i = info(toDynamic(c.payload, { amount: text, decimals: 2, fee: { type: 'percent', value: '2.5' } }));
        expect(i.isDynamic).toBe(true);
        expect(i.pointOfInitiation).toBe('12');
        expect(i.amount).toEqual({ text, value: Number(text) });
        expect(i.tip).toEqual({ type: 'percent', value: '2.5' });
        expect(i.tipIndicator).toBe('03');
      }),
      RUNS,
    );
  });

  it('property: info(build(f)) returns the fields of f', () => {
    fc.assert(
      fc.property(buildCaseArb, ({ fields: f, amountText, feeText }) => {
        const i = info(build(f));
        expect(i.merchantName).toBe(f.merchantName);
        expect(i.merchantCity).toBe(f.merchantCity);
        expect(i.mcc).toBe(f.mcc);
        expect(i.postalCode).toBe(f.postalCode);
        expect(i.countryCode).toBe('ID');
        expect(i.currency).toEqual({ numeric: '360', code: 'IDR' });
        expect(i.nmid).toBe(f.nmid);
        expect(i.merchantCriteria).toBe(f.merchantCriteria);
        expect(i.isDynamic).toBe(f.amount !== undefined);
        expect(i.amount?.text).toBe(amountText);
        if (amountText !== undefined) expect(i.amount!.value).toBe(Number(amountText));
        expect(i.accounts.map(({ guid, pan, merchantId, criteria }) => ({ guid, pan, merchantId, criteria }))).toEqual(
          f.accounts.map(({ guid, pan, merchantId, criteria }) => ({ guid, pan, merchantId, criteria })),
        );
        expect(i.accounts.map((a) => a.tag)).toEqual(f.accounts.map((_, k) => String(26 + k)));
        for (const a of i.accounts) expect(a.acquirer).toBe(ISSUERS.find(([g]) => g === a.guid)![2]);
        if (f.fee === undefined) expect(i.tip).toBeUndefined();
        else if (f.fee.type === 'prompt') expect(i.tip).toEqual({ type: 'prompt' });
        else expect(i.tip).toEqual({ type: f.fee.type, value: feeText });
        expect(i.additionalData).toEqual(f.additionalData);
        expect(i.language).toEqual(f.language);
        expect(i.crc.valid).toBe(true);
      }),
      RUNS,
    );
  });
});
