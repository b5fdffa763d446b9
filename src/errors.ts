/**
 * Every failure caused by bad data is a `QrisError` with a stable `code` from this table.
 * Codes are part of the public API: never rename one; add new ones instead.
 */
export const ERROR_CODES = {
  // Input shape
  NOT_A_STRING: 'The input must be a string.',
  EMPTY_INPUT: 'The input is empty.',
  TOO_LONG: 'The payload is longer than the 512 characters EMVCo allows.',
  // TLV structure
  BAD_ID: 'A data object ID must be two digits.',
  BAD_LENGTH: 'A data object length must be two digits.',
  TRUNCATED: 'The payload ends inside a data object.',
  DUPLICATE_ID: 'A root data object ID appears twice.',
  VALUE_TOO_LONG: 'A value is longer than the 99 characters a length field can express.',
  // Mandatory position rules
  PFI_MISSING: 'The Payload Format Indicator (ID 00) is missing.',
  PFI_NOT_FIRST: 'The Payload Format Indicator (ID 00) is not the first data object.',
  CRC_MISSING: 'The CRC (ID 63) is missing.',
  CRC_NOT_LAST: 'The CRC (ID 63) is not the last data object.',
  CRC_BAD_LENGTH: 'The CRC (ID 63) must have length 04.',
  CRC_BAD_FORMAT: 'The CRC (ID 63) must be four hexadecimal digits.',
  CRC_MISMATCH: 'The CRC (ID 63) does not match the payload.',
  // Conversion and building
  BAD_AMOUNT: 'The amount is not a valid EMVCo amount.',
  BAD_FEE: 'The tip or convenience fee option is not valid.',
  BAD_FIELD: 'A field value is not valid for its data object.',
  BAD_POINT_OF_INITIATION: 'The Point of Initiation Method (ID 01) must be 11 or 12.',
  ALREADY_DYNAMIC: 'The payload is already dynamic (ID 01 = 12).',
  ALREADY_STATIC: 'The payload is already static.',
  TEMPLATE_NOT_TLV: 'A template value does not hold data objects.',
  // Image adapters ('qris-codec/image')
  IMAGE_UNSUPPORTED_FORMAT: 'The image format is not supported.',
  IMAGE_TOO_LARGE: 'The image is larger than the configured limit.',
  IMAGE_CORRUPT: 'The image data is corrupt or truncated.',
  IMAGE_NO_QR: 'No QR code was found in the image.',
  IMAGE_NOT_EMVCO: 'A QR code was found, but it does not hold an EMVCo payload.',
  IMAGE_ENGINE_MISSING: 'An image library that qris-codec/image needs is not installed.',
  FETCH_FAILED: 'The image could not be fetched.',
  BAD_OPTION: 'An option has an invalid value.',
} as const;

export type QrisErrorCode = keyof typeof ERROR_CODES;

export interface QrisErrorDetails {
  /** Character offset into the input as given (a JavaScript string index). */
  readonly offset?: number;
  /** Tag path of the data object concerned, e.g. `"62"` or `"62/05"`. */
  readonly tag?: string;
  /** What was expected (CRC mismatch: the computed CRC). */
  readonly expected?: string;
  /** What was found (CRC mismatch: the declared CRC). */
  readonly actual?: string;
  readonly cause?: unknown;
}

/** The one error type the library throws for bad data. */
export class QrisError extends Error {
  override readonly name = 'QrisError';
  readonly code: QrisErrorCode;
  readonly offset: number | undefined;
  readonly tag: string | undefined;
  readonly expected: string | undefined;
  readonly actual: string | undefined;

  constructor(code: QrisErrorCode, message?: string, details: QrisErrorDetails = {}) {
    super(withWhere(message ?? ERROR_CODES[code], details), details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.offset = details.offset;
    this.tag = details.tag;
    this.expected = details.expected;
    this.actual = details.actual;
  }

  /** A plain object for logs and JSON output (`JSON.stringify` drops Error fields otherwise). */
  toJSON(): { code: QrisErrorCode; message: string; offset?: number; tag?: string; expected?: string; actual?: string } {
    const out: { code: QrisErrorCode; message: string; offset?: number; tag?: string; expected?: string; actual?: string } = {
      code: this.code,
      message: this.message,
    };
    if (this.offset !== undefined) out.offset = this.offset;
    if (this.tag !== undefined) out.tag = this.tag;
    if (this.expected !== undefined) out.expected = this.expected;
    if (this.actual !== undefined) out.actual = this.actual;
    return out;
  }
}

/**
 * A caller's value as it should appear in an error message. Never throws: `JSON.stringify` does on
 * a bigint or a cyclic object, and a message must not turn bad input into a TypeError.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol' || typeof value === 'function') return `a ${typeof value}`;
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json.length > QUOTE_MAX ? json.slice(0, QUOTE_MAX - 3) + '...' : json;
  } catch {
    // cyclic or holding a bigint: fall through
  }
  return value === undefined ? 'undefined' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** At most this many characters of a caller's value appear in a message (a 5 MB amount must not make a 5 MB error). */
export const QUOTE_MAX = 40;

/** A caller's string, JSON-quoted, cut to `QUOTE_MAX` characters with its full length named. */
export function quote(s: string): string {
  if (s.length <= QUOTE_MAX) return JSON.stringify(s);
  // Never cut between the halves of a surrogate pair.
  let end = QUOTE_MAX;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${JSON.stringify(s.slice(0, end))}... (${s.length} characters)`;
}

/** True for a `QrisError`, also across module copies (ESM and CJS builds loaded together). */
export function isQrisError(value: unknown): value is QrisError {
  return value instanceof QrisError || (value instanceof Error && value.name === 'QrisError' && typeof (value as QrisError).code === 'string');
}

function withWhere(message: string, d: QrisErrorDetails): string {
  if (d.tag === undefined && d.offset === undefined) return message;
  const where: string[] = [];
  if (d.tag !== undefined) where.push(`tag ${d.tag}`);
  if (d.offset !== undefined) where.push(`offset ${d.offset}`);
  return `${message} (${where.join(', ')})`;
}

/** A finding that does not stop parsing (parse warnings) or a rule broken (`validate`). */
export interface QrisIssue {
  readonly severity: 'error' | 'warning';
  /** Stable code, e.g. `CRC_LOWERCASE` or `TEMPLATE_NOT_TLV`. */
  readonly code: string;
  readonly message: string;
  /** Character offset in the input as given, where it applies. */
  readonly offset?: number;
  /** Tag path, e.g. `"62/05"`, where it applies. */
  readonly tag?: string;
}
