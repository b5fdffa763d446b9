/**
 * The EMVCo MPM data-object table and the QRIS profile: which IDs are templates, formats, lengths
 * and presence. One place for spec facts; the parser, validator and converter read from here.
 */

/** EMVCo: a payload holds at most 512 characters. */
export const MAX_PAYLOAD_LENGTH = 512;

/**
 * Whether data object `id` under `parent` ('' for the root, '62' for Additional Data) is a
 * template. Only the spec's templates nest: 26-51, 62, 64, 65-99 at the root, and 62's 50-99.
 */
export function isTemplate(parent: string, id: number): boolean {
  if (parent === '') return (id >= 26 && id <= 51) || id === 62 || id >= 64;
  if (parent === '62') return id >= 50;
  return false;
}
