/**
 * QRIS National Numbering System: the first 8 digits of an MPAN (digest table; incomplete, so an
 * unknown NNS is a SHOULD). Source: spring-qris `QrisNationalNumberingSystem.java` as digested.
 */
export const QRIS_NNS: Readonly<Record<string, string>> = Object.freeze({
  '93600914': 'GoPay',
  '93600915': 'DANA',
  '93600918': 'ShopeePay',
  '93600912': 'OVO',
  '93600911': 'LinkAja',
  '93600898': 'Telkom',
  '93600899': 'DOKU',
  '93600822': 'AstraPay',
  '93600503': 'Nobu',
  '93600002': 'BRI',
  '93600008': 'Mandiri',
  '93600009': 'BNI',
  '93600014': 'BCA',
  '93600022': 'CIMB Niaga',
  '93600451': 'BSI',
  '93600013': 'Permata',
  '93600011': 'Danamon',
  '93600213': 'BTPN',
});
