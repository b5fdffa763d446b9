/**
 * The two structural facts the TLV codec needs: which IDs are templates, and how long an input it
 * reads at all. Source: EMVCo MPM v1.1 (templates); the input cap is library policy, listed in the
 * rule table (qris/rules.ts, row TOO_LONG) from this constant.
 */

/** Library policy: input longer than this many code points is refused (`TOO_LONG`) before any scan. */
export const MAX_INPUT_LENGTH = 4096;

/**
 * Whether data object `id` under `parent` ('' for the root, '62' for Additional Data) is a
 * template. Only the spec's templates nest: 26-51, 62, 64, 65-99 at the root, and 62's 50-99.
 */
export function isTemplate(parent: string, id: number): boolean {
  if (parent === '') return (id >= 26 && id <= 51) || id === 62 || id >= 64;
  if (parent === '62') return id >= 50;
  return false;
}

/**
 * The QR text of every EMVCo consumer-presented (CPM) code starts with this: base64 of `85 05 "CPV"`
 * (EMV QRCPS CPM §5.1.1.1). The core only sniffs it, to refuse such a code by name (`CPM_NOT_MPM`)
 * instead of `BAD_ID`; reading one is 'qris-codec/cpm''s job.
 */
export const CPM_TEXT_PREFIX = 'hQVDUFY';
