/**
 * parseCpm(): base64 text (a QR's text) or bytes -> a lossless BER-TLV tree. It checks structure
 * only; what the objects must be is `validateCpm`'s job (rules.ts).
 */
import { QrisError } from '../errors.js';
import { decodeBase64 } from './base64.js';
import { readObjects, type CpmNode } from './ber.js';

export type { CpmNode } from './ber.js';

/** Longest base64 text read (no QR symbol holds more than 2953 bytes); refused before any decoding. */
export const MAX_CPM_TEXT = 4096;
/** Longest byte input read: what `MAX_CPM_TEXT` base64 characters decode to. */
export const MAX_CPM_BYTES = 3072;

/** A parsed consumer-presented code. */
export interface ParsedCpm {
  /** The base64 text as read (surrounding whitespace removed), or undefined for byte input. */
  readonly text: string | undefined;
  /** The decoded payload (a copy of byte input). Offsets in the tree and in errors index these bytes. */
  readonly bytes: Uint8Array;
  /** The root data objects, in payload order. */
  readonly nodes: readonly CpmNode[];
}

/** The QR text of every EMVCo CPM code starts with this (base64 of `85 05 "CPV"`, §5.1.1.1). */
export const CPM_PREFIX = 'hQVDUFY';

/** True when `text` (surrounding whitespace aside) starts like a CPM code; a cheap sniff, not a check. */
export function looksLikeCpm(text: unknown): boolean {
  return typeof text === 'string' && text.trimStart().startsWith(CPM_PREFIX);
}

/**
 * Reads a CPM payload. Throws a `QrisError`: `NOT_A_STRING`, `EMPTY_INPUT`, `TOO_LONG` (text over
 * 4096 characters, bytes over 3072), `BAD_ENCODING` (offset in characters), `TRUNCATED`,
 * `BER_BAD_TAG`, `BER_BAD_LENGTH`, `BER_LENGTH_OVERRUN`, `TRAILING_BYTES`, `NESTING_TOO_DEEP`
 * (offsets in bytes of the decoded payload).
 */
export function parseCpm(input: string | Uint8Array): ParsedCpm {
  if (typeof input === 'string') {
    // O(1) bound first: the trim below is then bounded too.
    if (input.length > 2 * MAX_CPM_TEXT) throw tooLong(input.length, 'characters', MAX_CPM_TEXT);
    const text = input.trim();
    if (text === '') throw new QrisError('EMPTY_INPUT', input === '' ? 'The input is empty.' : 'The input holds only whitespace.');
    if (text.length > MAX_CPM_TEXT) throw tooLong(text.length, 'characters', MAX_CPM_TEXT);
    // Decoded in place, so a BAD_ENCODING offset counts characters of the input as given.
    const lead = input.length - input.trimStart().length;
    const bytes = decodeBase64(input, lead, lead + text.length);
    return { text, bytes, nodes: read(bytes) };
  }
  if (!isBytes(input)) {
    throw new QrisError('NOT_A_STRING', `Expected base64 text or a Uint8Array, got ${input === null ? 'null' : typeof input}.`);
  }
  if (input.length === 0) throw new QrisError('EMPTY_INPUT', 'The input holds no bytes.');
  if (input.length > MAX_CPM_BYTES) throw tooLong(input.length, 'bytes', MAX_CPM_BYTES);
  const bytes = input.slice(); // the tree's values are views: the caller's later edits must not change them
  return { text: undefined, bytes, nodes: read(bytes) };
}

function read(bytes: Uint8Array): CpmNode[] {
  if (bytes.length === 0) throw new QrisError('EMPTY_INPUT', 'The base64 text decodes to no bytes.');
  return readObjects(bytes, 0, bytes.length);
}

function isBytes(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array || Object.prototype.toString.call(v) === '[object Uint8Array]';
}

function tooLong(n: number, unit: string, max: number): QrisError {
  return new QrisError('TOO_LONG', `The input has ${n} ${unit}; a CPM code is read up to ${max} (no QR symbol holds more than 2953 bytes).`, { offset: max });
}

/** A ParsedCpm as given, or the parse of text / bytes (for validateCpm and cpmInfo). */
export function toParsedCpm(input: string | Uint8Array | ParsedCpm): ParsedCpm {
  if (typeof input === 'object' && input !== null && !isBytes(input) && Array.isArray(input.nodes) && isBytes(input.bytes)) return input;
  return parseCpm(input as string | Uint8Array);
}
