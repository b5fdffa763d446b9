/**
 * EMVCo MPM and QRIS names and value tables: which IDs are templates, object names, 62's keys,
 * currencies, criteria. Rules (strength, limits, sources) live in the rule table, rules.ts.
 * Source: EMVCo QR Code Specification for Payment Systems, Merchant-Presented Mode v1.1, and the
 * QRIS national standard (see the project's spec digest).
 */

// Limits live in the rule table (rules.ts); re-exported here for the modules that read spec facts.
import { valuesOf } from './rules.js';
export { ADDITIONAL_DATA_MAX, MAX_INPUT_LENGTH, MAX_PAYLOAD_LENGTH } from './rules.js';

// Which IDs nest is a codec fact (codec/structure.ts); re-exported with the names.
export { isTemplate } from '../codec/structure.js';

/** Root data object names by ID. Ranges (02-25, 26-51, 65-79, 80-99) are resolved by `rootName`. */
const ROOT: Readonly<Record<string, string>> = Object.freeze({
  '00': 'Payload Format Indicator',
  '01': 'Point of Initiation Method',
  '52': 'Merchant Category Code',
  '53': 'Transaction Currency',
  '54': 'Transaction Amount',
  '55': 'Tip or Convenience Indicator',
  '56': 'Value of Convenience Fee Fixed',
  '57': 'Value of Convenience Fee Percentage',
  '58': 'Country Code',
  '59': 'Merchant Name',
  '60': 'Merchant City',
  '61': 'Postal Code',
  '62': 'Additional Data Field Template',
  '63': 'CRC',
  '64': 'Merchant Information - Language Template',
});

const CARD_NETWORKS: readonly string[] = [
  'Visa',
  'Visa',
  'Mastercard',
  'Mastercard',
  'EMVCo',
  'EMVCo',
  'EMVCo',
  'Discover',
  'Discover',
  'Amex',
  'Amex',
  'JCB',
  'JCB',
  'UnionPay',
  'UnionPay',
];

/** The name of a root ID, or undefined for an ID EMVCo does not define. */
export function rootName(id: string): string | undefined {
  const known = ROOT[id];
  if (known) return known;
  const n = Number(id);
  if (n >= 2 && n <= 25) return `Merchant Account Information (${CARD_NETWORKS[n - 2] ?? 'EMVCo'})`;
  if (n >= 26 && n <= 51) return 'Merchant Account Information Template';
  if (n >= 65 && n <= 79) return 'RFU for EMVCo';
  if (n >= 80 && n <= 99) return 'Unreserved Template';
  return undefined;
}

/** Additional Data Field (62) sub-objects 01-11; 12-49 are RFU, 50-99 payment-system templates. */
export const ADDITIONAL_DATA: Readonly<Record<string, { readonly key: AdditionalDataKey; readonly name: string }>> = Object.freeze({
  '01': { key: 'billNumber', name: 'Bill Number' },
  '02': { key: 'mobileNumber', name: 'Mobile Number' },
  '03': { key: 'storeLabel', name: 'Store Label' },
  '04': { key: 'loyaltyNumber', name: 'Loyalty Number' },
  '05': { key: 'referenceLabel', name: 'Reference Label' },
  '06': { key: 'customerLabel', name: 'Customer Label' },
  '07': { key: 'terminalLabel', name: 'Terminal Label' },
  '08': { key: 'purpose', name: 'Purpose of Transaction' },
  '09': { key: 'consumerDataRequest', name: 'Additional Consumer Data Request' },
  '10': { key: 'merchantTaxId', name: 'Merchant Tax ID' },
  '11': { key: 'merchantChannel', name: 'Merchant Channel' },
});

export type AdditionalDataKey =
  | 'billNumber'
  | 'mobileNumber'
  | 'storeLabel'
  | 'loyaltyNumber'
  | 'referenceLabel'
  | 'customerLabel'
  | 'terminalLabel'
  | 'purpose'
  | 'consumerDataRequest'
  | 'merchantTaxId'
  | 'merchantChannel';

/** Sub-ID of each Additional Data key (the reverse of ADDITIONAL_DATA). */
export const ADDITIONAL_DATA_ID: Readonly<Record<AdditionalDataKey, string>> = Object.freeze(
  Object.fromEntries(Object.entries(ADDITIONAL_DATA).map(([id, d]) => [d.key, id])) as Record<AdditionalDataKey, string>,
);

/** Tip or Convenience Indicator (55) values. */
export const TIP_INDICATOR = Object.freeze({ prompt: '01', fixed: '02', percent: '03' } as const);

/** QRIS: the national repository GUIDs seen in tag 51 (from the rule table's 51/00 row). */
export const QRIS_NATIONAL_GUIDS: readonly string[] = valuesOf('QRIS_BAD_NATIONAL_GUID', '51/00');

/** Names of the QRIS merchant criteria (51/03 and 26-45/03); the accepted values are the rule table's. */
export const MERCHANT_CRITERIA: Readonly<Record<string, string>> = Object.freeze({
  UMI: 'Micro',
  UKE: 'Small',
  UME: 'Medium',
  UBE: 'Large',
  URE: 'Regular',
  PSO: 'Public service',
  BLU: 'Public service agency (BLU)',
});

/** ISO 4217 numeric codes of the currencies EMVCo QR codes are seen with. */
export const CURRENCIES: Readonly<Record<string, string>> = Object.freeze({
  '360': 'IDR',
  '764': 'THB',
  '704': 'VND',
  '156': 'CNY',
  '986': 'BRL',
  '356': 'INR',
  '458': 'MYR',
  '702': 'SGD',
  '608': 'PHP',
  '116': 'KHR',
  '418': 'LAK',
  '104': 'MMK',
  '840': 'USD',
  '410': 'KRW',
  '392': 'JPY',
  '344': 'HKD',
});
