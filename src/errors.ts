/**
 * Every failure caused by bad data is a `QrisError` with a stable `code` from this table.
 * Codes are part of the public API: never rename one; add new ones instead.
 *
 * Which code a bad argument gets (the policy every core function follows; the README repeats it):
 * - `NOT_A_STRING`: the thing to *read* is of the wrong kind: the payload given to parse, info,
 *   validate, toDynamic or toStatic is not a string (info/validate also take a parse() result),
 *   crc16's input is neither a string nor a Uint8Array.
 * - `BAD_FIELD`: data to be *written* is wrong: build()'s fields (the fields object itself
 *   included), a tree given to serialize (not an array, a node without a value, too deep, cyclic,
 *   an unpaired surrogate), a 62 label given to toDynamic.
 * - `BAD_OPTION`: a setting that says *how* is wrong: an options argument that is not an object,
 *   `decimals`, `maxAmount`, `verifyCrc`, `replaceAmount`, `removeFees`, image and remote options.
 * - An option that carries data keeps that data's own code: `amount` is `BAD_AMOUNT`, `fee` is
 *   `BAD_FEE`, `billNumber` / `referenceLabel` / `terminalLabel` are `BAD_FIELD`.
 * - An exception the caller's own object throws while the core reads it (a revoked Proxy, a getter
 *   or Proxy trap that throws) becomes a QrisError with the code of the argument being read, and
 *   the original exception as `cause` (see `callerThrew`). Nothing else from the caller runs.
 */
export const ERROR_CODES = {
  // Input shape
  NOT_A_STRING: 'The input must be a string.',
  EMPTY_INPUT: 'The input is empty.',
  TOO_LONG: 'The input is longer than the 4096 characters the library reads (no QR code holds more than 2953 bytes).',
  // TLV structure
  BAD_ID: 'A data object ID must be two digits.',
  BAD_LENGTH: 'A data object length must be two digits.',
  TRUNCATED: 'The payload ends inside a data object.',
  DUPLICATE_ID: 'A root data object ID appears twice.',
  // Also a validation code (validate reports it); toDynamic and info refuse a template that has one.
  DUPLICATE_SUB_ID: 'A sub-ID appears more than once within a template.',
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
  OUTPUT_TOO_LONG: 'The payload built or converted would be longer than the 512 characters QRIS recommends.',
  ALREADY_DYNAMIC: 'The payload is already dynamic (ID 01 = 12).',
  ALREADY_STATIC: 'The payload is already static.',
  TRANSFER_FEE: 'A transfer code carries no tip or convenience fee (55-57); toDynamic and build refuse one.',
  TEMPLATE_NOT_TLV: 'A template value does not hold data objects.',
  // Consumer-presented mode ('qris-codec/cpm'): offsets are bytes of the decoded payload, except BAD_ENCODING (characters)
  CPM_NOT_MPM: "The payload is a consumer-presented (CPM) code shown by a payer's app, not a merchant (MPM) code; read it with qris-codec/cpm.",
  BAD_ENCODING: 'The input is not base64 text (RFC 4648, standard alphabet).',
  BER_BAD_TAG: 'A BER-TLV tag is not valid: it never ends, is longer than 4 bytes, or starts with the filler byte 00 or FF.',
  BER_BAD_LENGTH: 'A BER-TLV length form is not one EMV uses (indefinite 80, or more than two length bytes).',
  BER_LENGTH_OVERRUN: 'A BER-TLV length runs past the end of the data or of its enclosing template.',
  TRAILING_BYTES: 'Filler bytes (00 or FF) follow the last data object.',
  NESTING_TOO_DEEP: 'BER-TLV data objects are nested deeper than the 8 levels the library reads.',
  // Image adapters ('qris-codec/image')
  IMAGE_UNSUPPORTED_FORMAT: 'The image format is not supported.',
  IMAGE_TOO_LARGE: 'The image is larger than the configured limit.',
  IMAGE_CORRUPT: 'The image data is corrupt or truncated.',
  IMAGE_NO_QR: 'No QR code was found in the image.',
  IMAGE_NOT_EMVCO: 'A QR code was found, but it does not hold an EMVCo payload.',
  IMAGE_MULTIPLE_CODES: 'The picture holds two or more different payment codes; none was used (a second sticker?).',
  IMAGE_TIME_BUDGET: 'No QR code was found within the time budget for the image.',
  IMAGE_ENGINE_MISSING: 'An image library that qris-codec/image needs is not installed.',
  FETCH_FAILED: 'The image could not be fetched.',
  IMAGE_URL_NOT_ALLOWED: 'The image input is a URL, and URLs are fetched only with { allowUrl: true }.',
  FETCH_REFUSED: 'The image URL points at a loopback, private or other non-public address.',
  BAD_OPTION: 'An option has an invalid value.',
} as const;

export type QrisErrorCode = keyof typeof ERROR_CODES;

export interface QrisErrorDetails {
  /** Character offset into the input as given (a JavaScript string index). */
  readonly offset?: number | undefined;
  /** Tag path of the data object concerned, e.g. `"62"` or `"62/05"`. */
  readonly tag?: string | undefined;
  /** What was expected (CRC mismatch: the computed CRC). */
  readonly expected?: string | undefined;
  /** What was found (CRC mismatch: the declared CRC). */
  readonly actual?: string | undefined;
  /** IMAGE_MULTIPLE_CODES: the texts the library refused to choose between, in reading order. */
  readonly candidates?: readonly string[] | undefined;
  readonly cause?: unknown;
}

/** `QrisError#toJSON()`: the code, the message and the details that apply. */
// A type, not an interface: it stays assignable to Record<string, unknown> for JSON writers.
export type QrisErrorJSON = {
  readonly code: QrisErrorCode;
  readonly message: string;
  readonly offset?: number;
  readonly tag?: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly candidates?: readonly string[];
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The one error type the library throws for bad data. */
export class QrisError extends Error {
  override readonly name = 'QrisError';
  readonly code: QrisErrorCode;
  readonly offset: number | undefined;
  readonly tag: string | undefined;
  readonly expected: string | undefined;
  readonly actual: string | undefined;
  /** IMAGE_MULTIPLE_CODES: the payment codes found, in reading order (top to bottom, left to right). */
  readonly candidates: readonly string[] | undefined;

  constructor(code: QrisErrorCode, message?: string, details: QrisErrorDetails = {}) {
    super(withWhere(message ?? ERROR_CODES[code], details), details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.offset = details.offset;
    this.tag = details.tag;
    this.expected = details.expected;
    this.actual = details.actual;
    this.candidates = details.candidates;
  }

  /** A plain object for logs and JSON output (`JSON.stringify` drops Error fields otherwise). */
  toJSON(): QrisErrorJSON {
    const out: Mutable<QrisErrorJSON> = {
      code: this.code,
      message: this.message,
    };
    if (this.offset !== undefined) out.offset = this.offset;
    if (this.tag !== undefined) out.tag = this.tag;
    if (this.expected !== undefined) out.expected = this.expected;
    if (this.actual !== undefined) out.actual = this.actual;
    if (this.candidates !== undefined) out.candidates = this.candidates;
    return out;
  }
}

/**
 * A caller's value as it should appear in an error message. Never throws: `JSON.stringify` does on
 * a bigint or a cyclic object, and a message must not turn bad input into a TypeError.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'bigint') return cut(`${value}n`);
  if (typeof value === 'symbol' || typeof value === 'function') return `a ${typeof value}`;
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return cut(json);
  } catch {
    // cyclic, holding a bigint, a revoked Proxy or a throwing getter / toJSON: fall through
  }
  if (value === undefined) return 'undefined';
  try {
    return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
  } catch {
    return 'a revoked Proxy'; // Array.isArray throws only on a revoked Proxy
  }
}

/** Codes a bad argument can get (see the policy at the top of this file). */
export type ArgumentCode = 'NOT_A_STRING' | 'BAD_FIELD' | 'BAD_OPTION';

/**
 * The error for an exception thrown while the core read the caller's `what` (a revoked Proxy, a
 * throwing getter or Proxy trap): a QrisError with `code` and the original as `cause`. A QrisError
 * (the core's own refusal raised while reading) is returned as it is.
 */
export function callerThrew(code: ArgumentCode, what: string, e: unknown): QrisError {
  if (isQrisError(e)) return e;
  return new QrisError(code, `Reading ${what} threw ${thrownName(e)}; it may be a revoked Proxy or have a getter that throws.`, { cause: e });
}

/** "a TypeError", without running any of the thrown value's own code. */
function thrownName(e: unknown): string {
  if (e === null || (typeof e !== 'object' && typeof e !== 'function')) return typeof e === 'string' ? 'a string' : `a ${typeof e}`;
  for (const C of [TypeError, RangeError, ReferenceError, SyntaxError]) if (isInstance(e, C)) return `a ${C.name}`;
  return isInstance(e, Error) ? 'an Error' : 'a non-Error value';
}

function isInstance(e: object, C: abstract new (...args: never[]) => unknown): boolean {
  try {
    return e instanceof C;
  } catch {
    return false; // a revoked Proxy thrown as the exception
  }
}

/** At most this many characters of a caller's value appear in a message (a 5 MB amount must not make a 5 MB error). */
export const QUOTE_MAX = 40;

/** A caller's string, JSON-quoted, cut to `QUOTE_MAX` characters with its full length named. */
export function quote(s: string): string {
  if (s.length <= QUOTE_MAX) return JSON.stringify(s);
  return `${JSON.stringify(s.slice(0, cutAt(s, QUOTE_MAX)))}... (${s.length} characters)`;
}

/** `text` (already rendered) cut to `QUOTE_MAX` characters. */
function cut(text: string): string {
  return text.length > QUOTE_MAX ? text.slice(0, cutAt(text, QUOTE_MAX - 3)) + '...' : text;
}

/** `end`, or one less so a cut never falls between the halves of a surrogate pair. */
function cutAt(s: string, end: number): number {
  const c = s.charCodeAt(end - 1);
  return c >= 0xd800 && c <= 0xdbff ? end - 1 : end;
}

/** True for a `QrisError`, also across module copies (ESM and CJS builds loaded together). */
export function isQrisError(value: unknown): value is QrisError {
  try {
    return value instanceof QrisError || (value instanceof Error && value.name === 'QrisError' && typeof (value as QrisError).code === 'string');
  } catch {
    return false; // a revoked Proxy (or one whose traps throw) is no error of ours
  }
}

function withWhere(message: string, d: QrisErrorDetails): string {
  if (d.tag === undefined && d.offset === undefined) return message;
  const where: string[] = [];
  if (d.tag !== undefined) where.push(`tag ${d.tag}`);
  if (d.offset !== undefined) where.push(`offset ${d.offset}`);
  return `${message} (${where.join(', ')})`;
}

/**
 * A finding that does not stop parsing (parse warnings) or a rule broken (`validate`), over the code
 * set `C` of the layer that reports it. The public `QrisIssue` (qris/validate.ts) is
 * `Issue<IssueCode>`; this module imports nothing, so the codes are supplied from above.
 */
export interface Issue<C extends string> {
  readonly severity: 'error' | 'warning';
  /** Stable code, e.g. `CRC_LOWERCASE` or `TEMPLATE_NOT_TLV`. */
  readonly code: C;
  readonly message: string;
  /** Character offset in the input as given, where it applies. */
  readonly offset?: number;
  /** Tag path, e.g. `"62/05"`, where it applies. */
  readonly tag?: string;
  /**
   * Where the rule comes from, for `validate` issues: the spec digest's key (`EMV mv, np`,
   * `QRIS 4.7.5.4 sq`, `field`) or `policy` (the library's own). Kept out of `message`, which is a
   * plain sentence.
   */
  readonly source?: string;
}
