/**
 * Who acquired a merchant account: by the template's GUID (reverse domain name), else by the
 * 8-digit National Numbering System (NNS) prefix of the merchant PAN. Unknown ones return null:
 * a wrong name on a payment screen is worse than none. The NNS table is nns.ts (one table for
 * info and validate).
 */
import { nnsOf } from './nns.js';

/** Reverse-domain GUIDs (upper-cased) as seen in QRIS merchant account templates. */
const BY_GUID: Readonly<Record<string, string>> = Object.freeze({
  'COM.GO-JEK.WWW': 'GoPay',
  'ID.DANA.WWW': 'DANA',
  'ID.CO.SHOPEE.WWW': 'ShopeePay',
  'ID.LINKAJA.WWW': 'LinkAja',
  'ID.CO.TELKOM.WWW': 'Telkom Indonesia',
  'ID.OVO': 'OVO',
  'ID.CO.BRI.WWW': 'Bank BRI',
  'ID.CO.BCA.WWW': 'Bank BCA',
  'ID.CO.BANKMANDIRI.WWW': 'Bank Mandiri',
  'ID.CO.BNI.WWW': 'Bank BNI',
  'ID.CO.CIMBNIAGA.WWW': 'CIMB Niaga',
  'ID.CO.BANKBSI.WWW': 'Bank Syariah Indonesia',
  'ID.CO.MANDIRISYARIAH.WWW': 'Bank Syariah Mandiri',
  'ID.CO.BANKNEOCOMMERCE.WWW': 'Bank Neo Commerce',
  'COM.DOKU.WWW': 'DOKU',
  'ID.CO.ASTRAPAY.WWW': 'AstraPay',
  'ID.SPINPAY.WWW': 'SPIN',
  'ID.CO.JALIN.WWW': 'Jalin',
  'ID.ZIPAY.WWW': 'Zipay',
  'ID.CO.QRIS.WWW': 'QRIS national repository',
  'ID.OR.GPNQR.WWW': 'QRIS national repository (GPN)',
  'ID.OR.QRNPG.WWW': 'QRIS national repository (QRNPG)',
});

export interface AcquirerMatch {
  readonly name: string;
  readonly by: 'guid' | 'nns';
}

/** The acquirer named by a GUID, or null when the GUID is not in the table. */
export function acquirerByGuid(guid: string | undefined): string | null {
  return guid === undefined ? null : (BY_GUID[guid.toUpperCase()] ?? null);
}

/** The issuer named by the 8-digit NNS prefix of a merchant PAN, or null. */
export function acquirerByPan(pan: string | undefined): string | null {
  return nnsOf(pan)?.institution ?? null;
}

/** GUID first (it names the template's owner), then the PAN's NNS; null when neither is known. */
export function findAcquirer(guid: string | undefined, pan: string | undefined): AcquirerMatch | null {
  const g = acquirerByGuid(guid);
  if (g !== null) return { name: g, by: 'guid' };
  const n = acquirerByPan(pan);
  return n === null ? null : { name: n, by: 'nns' };
}
