/**
 * Lossless EMVCo TLV: one `charCodeAt` pass per nesting level records where each data object starts
 * and ends; nodes are built from those offsets. Nothing is re-sorted, re-cased or dropped, so
 * `serialize(parse(x)) === x` for every well-formed payload.
 *
 * Lengths count Unicode code points (EMVCo counts characters). When the payload is pure ASCII (known
 * for free from the UTF-8 encode the CRC needs anyway) a value's end is simply start + length.
 */
import { CRC_INIT, crcUpdate, encodeToScratch, formatCrc, parseCrcHex, scratchBytes } from './crc16.js';
import { describeValue, QrisError, type QrisErrorCode, type QrisIssue } from './errors.js';
import { isTemplate, MAX_INPUT_LENGTH } from './spec.js';

export interface TlvNode {
  /** Two-digit data object ID, e.g. `"59"`. */
  readonly id: string;
  /** Declared length, in characters (code points). */
  readonly length: number;
  /** The value exactly as written (for a template: its raw TLV text). */
  readonly value: string;
  /** Index of the ID's first character in the input as given (a JavaScript string index). */
  readonly offset: number;
  /** Present only for spec templates whose value parses as TLV. */
  readonly children?: readonly TlvNode[];
}

export interface CrcCheck {
  /** The CRC as written in the payload (case preserved). */
  readonly declared: string;
  /** The CRC computed over the payload, four uppercase hex digits. */
  readonly computed: string;
  readonly valid: boolean;
}

export interface ParsedQris {
  /** The payload without surrounding whitespace. */
  readonly payload: string;
  /** Where `payload` starts in the input as given (non-zero only when whitespace was skipped). */
  readonly start: number;
  /** Root data objects, in the order written. */
  readonly nodes: readonly TlvNode[];
  readonly crc: CrcCheck;
  /** Non-fatal findings: templates kept raw (`TEMPLATE_NOT_TLV`), lowercase CRC (`CRC_LOWERCASE`). */
  readonly warnings: readonly QrisIssue[];
}

export interface ParseOptions {
  /**
   * Throw `CRC_MISMATCH` when the declared CRC is wrong. With `false` the result reports it in
   * `crc.valid` instead (the structure must still be sound).
   * @default true
   */
  readonly verifyCrc?: boolean;
}

/** Input for `serialize`: a parsed node, or any object with an ID and a value or children. */
export interface TlvInput {
  readonly id: string;
  readonly value?: string;
  readonly children?: readonly TlvInput[];
}

// ---- Scanner ---------------------------------------------------------------------------------

/** Per nesting level: [offset, id, valueStart, valueEnd] per object. 128 objects fill 512 chars. */
const MAX_OBJECTS = 256;
const LEVELS = [new Int32Array(MAX_OBJECTS * 4), new Int32Array(MAX_OBJECTS * 4), new Int32Array(MAX_OBJECTS * 4)] as const;

/** "00".."99", so IDs and lengths never allocate. */
export const TWO_DIGITS: readonly string[] = /* @__PURE__ */ Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + i);

/**
 * Scans data objects in s[start, end) into `out`; returns the count. Throws a `QrisError` whose
 * offset is `base + position` (base maps payload positions back to the input as given).
 * `bytes`: the text's UTF-8 bytes when it is ASCII (one byte per character, as in the CRC scratch
 * right after `scanRoot`), read by the fast loop; null for other text.
 */
function scanLevel(s: string, bytes: Uint8Array | null, start: number, end: number, out: Int32Array, base: number, path: string): number {
  return bytes !== null ? scanAscii(s, bytes, start, end, out, base, path) : scanChecked(s, start, end, false, out, base, path);
}

/**
 * The hot loop for ASCII text, over its bytes (typed-array loads are cheaper than charCodeAt, and a
 * length is a plain byte count). It only detects a problem; `scanChecked` rescans to report it.
 */
function scanAscii(s: string, b: Uint8Array, start: number, end: number, out: Int32Array, base: number, path: string): number {
  let p = start;
  let n = 0;
  while (p < end) {
    // Unsigned compares: a byte below '0' wraps to a huge number; past `end` is caught first.
    const i0 = b[p]! - 48;
    const i1 = b[p + 1]! - 48;
    const l0 = b[p + 2]! - 48;
    const l1 = b[p + 3]! - 48;
    const vEnd = p + 4 + l0 * 10 + l1;
    if (end - p < 4 || (i0 >>> 0) > 9 || (i1 >>> 0) > 9 || (l0 >>> 0) > 9 || (l1 >>> 0) > 9 || vEnd > end || n === MAX_OBJECTS) {
      scanChecked(s, start, end, true, out, base, path);
      throw new Error('unreachable: scanChecked accepted what scanAscii refused');
    }
    const k = n << 2;
    out[k] = p;
    out[k + 1] = i0 * 10 + i1;
    out[k + 2] = p + 4;
    out[k + 3] = vEnd;
    n++;
    p = vEnd;
  }
  return n;
}

/** Scans with every check spelled out, and throws the precise `QrisError` for the first problem. */
function scanChecked(s: string, start: number, end: number, ascii: boolean, out: Int32Array, base: number, path: string): number {
  let p = start;
  let n = 0;
  while (p < end) {
    if (end - p < 4) {
      throw new QrisError('TRUNCATED', `The payload ends inside a data object header: ${end - p} character(s) left where ID and length need 4.`, {
        ...where(base + p, path),
      });
    }
    const i0 = s.charCodeAt(p) - 48;
    const i1 = s.charCodeAt(p + 1) - 48;
    const l0 = s.charCodeAt(p + 2) - 48;
    const l1 = s.charCodeAt(p + 3) - 48;
    // One unsigned compare per digit: a character below '0' wraps to a huge number.
    if ((i0 >>> 0) > 9 || (i1 >>> 0) > 9) {
      throw new QrisError('BAD_ID', `A data object ID must be two digits; found ${JSON.stringify(s.slice(p, p + 2))}.`, {
        ...where(base + p, path),
      });
    }
    const id = i0 * 10 + i1;
    if ((l0 >>> 0) > 9 || (l1 >>> 0) > 9) {
      const tag = tagPath(path, id);
      throw new QrisError('BAD_LENGTH', `The length of data object ${tag} must be two digits; found ${JSON.stringify(s.slice(p + 2, p + 4))}.`, {
        offset: base + p + 2,
        tag,
      });
    }
    const len = l0 * 10 + l1;
    const vStart = p + 4;
    const vEnd = ascii ? vStart + len : advanceCodePoints(s, vStart, len, end);
    if (vEnd > end) {
      const tag = tagPath(path, id);
      throw new QrisError('TRUNCATED', `Data object ${tag} declares ${len} character(s) but only ${countCodePoints(s, vStart, end)} remain.`, {
        offset: base + p,
        tag,
      });
    }
    if (n === MAX_OBJECTS) throw new QrisError('TOO_LONG', 'Too many data objects.', { offset: base + p });
    const k = n * 4;
    out[k] = p;
    out[k + 1] = id;
    out[k + 2] = vStart;
    out[k + 3] = vEnd;
    n++;
    p = vEnd;
  }
  return n;
}

/** Only built on error paths: the hot loop never allocates a path string. */
function tagPath(path: string, id: number): string {
  return path ? path + '/' + TWO_DIGITS[id]! : TWO_DIGITS[id]!;
}

function where(offset: number, path: string): { offset: number; tag?: string } {
  return path ? { offset, tag: path } : { offset };
}

/** Index after `count` code points from `i`, or `limit + 1` if the text ends first. */
function advanceCodePoints(s: string, i: number, count: number, limit: number): number {
  for (let c = 0; c < count; c++) {
    if (i >= limit) return limit + 1;
    const cu = s.charCodeAt(i);
    i += cu >= 0xd800 && cu <= 0xdbff && i + 1 < limit && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
  }
  return i;
}

function countCodePoints(s: string, i: number, end: number): number {
  let n = 0;
  while (i < end) {
    const cu = s.charCodeAt(i);
    i += cu >= 0xd800 && cu <= 0xdbff && i + 1 < end && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
    n++;
  }
  return n;
}

/** Length of `s` in code points (what an EMVCo length field counts). */
export function codePointLength(s: string): number {
  return countCodePoints(s, 0, s.length);
}

// ---- Trimming ----------------------------------------------------------------------------------

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** [start, end) of `input` without surrounding spaces, tabs and line breaks. */
export function trimBounds(input: string): [number, number] {
  let a = 0;
  let b = input.length;
  while (a < b && isSpace(input.charCodeAt(a))) a++;
  while (b > a && isSpace(input.charCodeAt(b - 1))) b--;
  return [a, b];
}

// ---- Root scan shared by parse and the converter -------------------------------------------------

/** The result of scanning and checking the root level, before any node objects exist. */
export interface RootScan {
  readonly payload: string;
  readonly start: number;
  readonly ascii: boolean;
  /** UTF-8 byte length of the payload (bytes are in the CRC scratch until the next encode). */
  readonly byteLength: number;
  /** Root objects as [offset, id, valueStart, valueEnd] quadruples (payload positions). */
  readonly objects: Int32Array;
  readonly count: number;
  /** Byte index where the CRC value starts: the CRC covers bytes [0, crcIndex). */
  readonly crcIndex: number;
  /** The declared CRC as a number. */
  readonly declared: number;
  /** Identifies this scan for `rootIndexOf`. */
  readonly stamp: number;
}

/**
 * Scans the root level and checks the structure `parse` guarantees: size, well-formed objects,
 * duplicate IDs, 00 first, 63 last with four hex digits. The CRC itself is left to the caller
 * (`parse` computes it in one go; the converter records states on the way, to reuse for its output).
 * `objects` and the UTF-8 bytes in the CRC scratch are shared: valid until the next scan or encode.
 */
/** Root ID -> stamp of the last scan that saw it, and its index in that scan. */
const SEEN = new Int32Array(101);
const INDEX = new Int32Array(100);
/** Root IDs already written by the running `serialize`. */
const WRITTEN = new Int32Array(101);

/**
 * A fresh stamp for a table indexed by ID (SEEN for scans, WRITTEN for serialize): IDs stamped
 * earlier read as unseen, with nothing to clear. Slot 100 holds the table's counter.
 */
function nextStamp(table: Int32Array): number {
  let n = table[100]! + 1;
  if (n === 0x7fffffff) {
    table.fill(0); // stale stamps could collide after wrapping
    n = 1;
  }
  table[100] = n;
  return n;
}

/** Index of root object `id` in the most recent `scanRoot` (the one `scan` came from), or -1. */
export function rootIndexOf(scan: RootScan, id: number): number {
  return SEEN[id] === scan.stamp ? INDEX[id]! : -1;
}

export function scanRoot(input: unknown): RootScan {
  if (typeof input !== 'string') {
    throw new QrisError('NOT_A_STRING', `Expected the payload as a string, got ${input === null ? 'null' : typeof input}.`);
  }
  // O(1), before any scan: no payload of MAX_INPUT_LENGTH code points has twice as many UTF-16 units.
  if (input.length > 2 * MAX_INPUT_LENGTH) {
    throw new QrisError('TOO_LONG', `The input is ${input.length} UTF-16 units long; the library reads at most ${MAX_INPUT_LENGTH} characters (no QR code holds more than 2953 bytes).`, { offset: MAX_INPUT_LENGTH });
  }
  let payload = input;
  let start = 0;
  const last = input.length - 1;
  if (last < 0 || isSpace(input.charCodeAt(0)) || isSpace(input.charCodeAt(last))) {
    const [a, b] = trimBounds(input);
    if (a === b) throw new QrisError('EMPTY_INPUT', input.length === 0 ? 'The input is empty.' : 'The input holds only whitespace.');
    payload = input.slice(a, b);
    start = a;
  }
  // 513-4096 characters parse (validate warns: 512 is a SHOULD); longer is refused. Bounded above.
  if (payload.length > MAX_INPUT_LENGTH) {
    const cps = codePointLength(payload);
    if (cps > MAX_INPUT_LENGTH) {
      throw new QrisError('TOO_LONG', `The payload has ${cps} characters; the library reads at most ${MAX_INPUT_LENGTH} (no QR code holds more than 2953 bytes).`, { offset: start + MAX_INPUT_LENGTH });
    }
  }
  const byteLength = encodeToScratch(payload);
  const ascii = byteLength === payload.length;
  const objects = LEVELS[0];
  // ASCII: the scan reads the UTF-8 bytes just encoded for the CRC; they are the characters.
  const count = scanLevel(payload, ascii ? scratchBytes() : null, 0, payload.length, objects, start, '');

  // Duplicate root IDs: SEEN[id] holds the number of the scan that last saw id, so nothing is cleared.
  const stamp = nextStamp(SEEN);
  let pfiAt = -1;
  let crcAt = -1;
  for (let i = 0; i < count; i++) {
    const id = objects[i * 4 + 1]!;
    if (SEEN[id] === stamp) {
      throw new QrisError('DUPLICATE_ID', `Data object ${TWO_DIGITS[id]} appears more than once at the root.`, {
        offset: start + objects[i * 4]!,
        tag: TWO_DIGITS[id]!,
      });
    }
    SEEN[id] = stamp;
    INDEX[id] = i;
    if (id === 0) pfiAt = i;
    else if (id === 63) crcAt = i;
  }
  if (pfiAt !== 0) {
    if (pfiAt < 0) throw new QrisError('PFI_MISSING', 'The Payload Format Indicator (ID 00) is missing; every EMVCo payload starts with "000201".', { offset: start, tag: '00' });
    throw new QrisError('PFI_NOT_FIRST', 'The Payload Format Indicator (ID 00) must be the first data object.', {
      offset: start + objects[pfiAt * 4]!,
      tag: '00',
    });
  }
  if (crcAt < 0) throw new QrisError('CRC_MISSING', 'The CRC (ID 63) is missing; a payload ends with "6304" and four hex digits.', { offset: start + payload.length, tag: '63' });
  if (crcAt !== count - 1) {
    throw new QrisError('CRC_NOT_LAST', 'The CRC (ID 63) must be the last data object.', { offset: start + objects[crcAt * 4]!, tag: '63' });
  }
  const k = crcAt * 4;
  const crcValueStart = objects[k + 2]!;
  if (objects[k + 3]! - crcValueStart !== 4 || payload.length - crcValueStart !== 4) {
    throw new QrisError('CRC_BAD_LENGTH', `The CRC (ID 63) must have length 04; found ${payload.slice(objects[k]! + 2, objects[k]! + 4)}.`, {
      offset: start + objects[k]! + 2,
      tag: '63',
    });
  }
  const declared = parseCrcHex(payload, crcValueStart);
  if (declared < 0) {
    throw new QrisError('CRC_BAD_FORMAT', `The CRC (ID 63) must be four hex digits; found ${JSON.stringify(payload.slice(crcValueStart))}.`, {
      offset: start + crcValueStart,
      tag: '63',
    });
  }
  // The four CRC digits are ASCII, so the CRC covers all bytes but the last four.
  const crcIndex = byteLength - 4;
  return { payload, start, ascii, byteLength, objects, count, crcIndex, declared, stamp };
}

/** The CRC_MISMATCH error for a scanned payload whose content gives `computed`. */
export function crcMismatch(scan: RootScan, computed: number): QrisError {
  const { payload, start } = scan;
  const crcValueStart = payload.length - 4;
  return new QrisError('CRC_MISMATCH', `The CRC does not match: the payload declares ${payload.slice(crcValueStart)}, its content gives ${formatCrc(computed)}.`, {
    offset: start + crcValueStart,
    tag: '63',
    expected: formatCrc(computed),
    actual: payload.slice(crcValueStart),
  });
}


/**
 * Scans the children of the template whose value is payload[vStart, vEnd) of a root scan, into the
 * depth-1 scratch (valid until the next template scan). Throws TEMPLATE_NOT_TLV when the value
 * does not hold data objects.
 */
export function scanTemplate(scan: RootScan, vStart: number, vEnd: number, path: string): { readonly objects: Int32Array; readonly count: number } {
  const objects = LEVELS[1];
  try {
    return { objects, count: scanLevel(scan.payload, scan.ascii ? scratchBytes() : null, vStart, vEnd, objects, scan.start, path) };
  } catch (e) {
    const err = e as QrisError;
    throw new QrisError('TEMPLATE_NOT_TLV', `Template ${path} does not hold data objects (${err.message}); it cannot be edited in place.`, {
      offset: err.offset ?? scan.start + vStart,
      tag: path,
      cause: err,
    });
  }
}

// ---- parse -------------------------------------------------------------------------------------

/**
 * Parses an EMVCo MPM payload into an ordered tree with offsets, keeping every byte.
 * Throws `QrisError` for anything malformed; see `safeParse` for a non-throwing form.
 */
export function parse(input: string, options?: ParseOptions): ParsedQris {
  const scan = scanRoot(input);
  const computed = crcUpdate(CRC_INIT, scratchBytes(), 0, scan.crcIndex);
  if (computed !== scan.declared && options?.verifyCrc !== false) throw crcMismatch(scan, computed);
  const { payload, start, ascii, objects, count } = scan;
  const asciiBytes = ascii ? scratchBytes() : null; // the scan's bytes, still in the scratch
  const warnings: QrisIssue[] = [];
  const nodes: TlvNode[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const k = i * 4;
    const id = objects[k + 1]!;
    const vStart = objects[k + 2]!;
    const vEnd = objects[k + 3]!;
    const idStr = TWO_DIGITS[id]!;
    const value = payload.slice(vStart, vEnd);
    const offset = start + objects[k]!;
    const length = ascii ? vEnd - vStart : codePointLength(value);
    if (isTemplate('', id)) {
      const children = parseTemplate(payload, asciiBytes, vStart, vEnd, 1, start, idStr, warnings);
      nodes[i] = children ? { id: idStr, length, value, offset, children } : { id: idStr, length, value, offset };
    } else {
      nodes[i] = { id: idStr, length, value, offset };
    }
  }
  const crcValueStart = payload.length - 4;
  const declared = payload.slice(crcValueStart);
  if (hasLowercase(declared)) {
    warnings.push({ severity: 'warning', code: 'CRC_LOWERCASE', message: 'The CRC is written in lowercase; EMVCo output uses uppercase hex.', offset: start + crcValueStart, tag: '63' });
  }
  return {
    payload,
    start,
    nodes,
    crc: { declared, computed: formatCrc(computed), valid: computed === scan.declared },
    warnings,
  };
}

function parseTemplate(s: string, bytes: Uint8Array | null, vStart: number, vEnd: number, depth: 1 | 2, base: number, path: string, warnings: QrisIssue[]): TlvNode[] | undefined {
  const out = LEVELS[depth];
  let count: number;
  try {
    count = scanLevel(s, bytes, vStart, vEnd, out, base, path);
  } catch (e) {
    const err = e as QrisError;
    warnings.push({
      severity: 'warning',
      code: 'TEMPLATE_NOT_TLV',
      message: `Template ${path} does not hold data objects (${err.message}); its value is kept as written.`,
      offset: err.offset ?? base + vStart,
      tag: path,
    });
    return undefined;
  }
  const nodes: TlvNode[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const k = i * 4;
    const id = out[k + 1]!;
    const cStart = out[k + 2]!;
    const cEnd = out[k + 3]!;
    const idStr = TWO_DIGITS[id]!;
    const value = s.slice(cStart, cEnd);
    const offset = base + out[k]!;
    const length = bytes !== null ? cEnd - cStart : codePointLength(value);
    if (depth === 1 && isTemplate(path, id)) {
      // Only 62's sub-IDs 50-99 nest a further level; the depth-2 buffer is free here.
      const children = parseTemplate(s, bytes, cStart, cEnd, 2, base, path + '/' + idStr, warnings);
      nodes[i] = children ? { id: idStr, length, value, offset, children } : { id: idStr, length, value, offset };
    } else {
      nodes[i] = { id: idStr, length, value, offset };
    }
  }
  return nodes;
}

function hasLowercase(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 102) return true;
  }
  return false;
}

export type SafeParseResult = { readonly ok: true; readonly value: ParsedQris } | { readonly ok: false; readonly error: QrisError };

/**
 * The parse result behind an `info` / `validate` input: a payload string is parsed (a wrong CRC is
 * reported, not thrown); a `parse()` result is used as is. Anything else is refused with a
 * `QrisError` rather than failing somewhere inside with a TypeError.
 */
export function toParsed(input: unknown): ParsedQris {
  if (typeof input === 'string' || typeof input !== 'object' || input === null) return parse(input as string, { verifyCrc: false });
  if (!isParsedShape(input)) {
    throw new QrisError('NOT_A_STRING', 'Expected a payload string or the result of parse(); got an object of another shape.');
  }
  return input;
}

function isParsedShape(x: object): x is ParsedQris {
  const p = x as Partial<Record<keyof ParsedQris, unknown>>;
  const crc = p.crc as Partial<Record<keyof CrcCheck, unknown>> | null | undefined;
  return (
    typeof p.payload === 'string' &&
    Array.isArray(p.warnings) &&
    typeof crc === 'object' && crc !== null && typeof crc.valid === 'boolean' &&
    Array.isArray(p.nodes) && p.nodes.every(isNodeShape)
  );
}

function isNodeShape(n: unknown): boolean {
  if (typeof n !== 'object' || n === null) return false;
  const t = n as Partial<Record<keyof TlvNode, unknown>>;
  if (typeof t.id !== 'string' || typeof t.value !== 'string' || typeof t.offset !== 'number') return false;
  return t.children === undefined || (Array.isArray(t.children) && t.children.every(isNodeShape));
}

/** `parse` without throwing: `{ ok: true, value }` or `{ ok: false, error }`. */
export function safeParse(input: string, options?: ParseOptions): SafeParseResult {
  try {
    return { ok: true, value: parse(input, options) };
  } catch (e) {
    if (e instanceof QrisError) return { ok: false, error: e };
    throw e; // a bug, not bad input: let it surface
  }
}

// ---- serialize -----------------------------------------------------------------------------------

/**
 * Writes a tree back to a payload. Lengths are recomputed from the values, templates are rebuilt
 * from their children, and the CRC (ID 63) is recomputed and placed last (appended if absent).
 * For an unedited parse result this returns the payload exactly as parsed.
 */
export function serialize(tree: ParsedQris | readonly TlvInput[]): string {
  const nodes: readonly TlvInput[] | undefined = Array.isArray(tree) ? tree : (tree as ParsedQris)?.nodes;
  if (!Array.isArray(nodes)) throw new QrisError('BAD_FIELD', 'serialize() takes a parse result or an array of data objects.');
  let out = '';
  let cps = 0; // code points written so far: `out` is a rope, so it is never rescanned
  let crcSeen = -1;
  const stamp = nextStamp(WRITTEN);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    const id = checkId(node, '');
    const n = (id.charCodeAt(0) - 48) * 10 + id.charCodeAt(1) - 48;
    if (WRITTEN[n] === stamp) throw new QrisError('DUPLICATE_ID', `Data object ${id} appears more than once at the root.`, { tag: id });
    WRITTEN[n] = stamp;
    if (id === '63') {
      crcSeen = i;
      continue;
    }
    if (i === 0 && id !== '00') {
      throw new QrisError(nodes.some((n) => n?.id === '00') ? 'PFI_NOT_FIRST' : 'PFI_MISSING', 'The Payload Format Indicator (ID 00) must be the first data object.', { tag: '00' });
    }
    out += writeObject(node, id, id);
    cps += written;
  }
  if (nodes.length === 0) throw new QrisError('PFI_MISSING', 'Nothing to serialize: the Payload Format Indicator (ID 00) is missing.', { tag: '00' });
  if (crcSeen >= 0 && crcSeen !== nodes.length - 1) throw new QrisError('CRC_NOT_LAST', 'The CRC (ID 63) must be the last data object.', { tag: '63' });
  out += '6304';
  if (cps + 8 > MAX_INPUT_LENGTH) {
    throw new QrisError('TOO_LONG', `The payload would have ${cps + 8} characters; the library reads at most ${MAX_INPUT_LENGTH}.`);
  }
  const n = encodeToScratch(out);
  return out + formatCrc(crcUpdate(CRC_INIT, scratchBytes(), 0, n));
}

function checkId(node: TlvInput, parent: string): string {
  const id = node?.id;
  if (typeof id !== 'string' || id.length !== 2 || !isDigit(id.charCodeAt(0)) || !isDigit(id.charCodeAt(1))) {
    throw new QrisError('BAD_ID', `A data object ID must be two digits; got ${describeValue(id)}.`, parent ? { tag: parent } : {});
  }
  return id;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Code points of the object `writeObject` returned last (its text is a rope: never rescanned). */
let written = 0;

function writeObject(node: TlvInput, id: string, path: string): string {
  let value: string;
  let len: number;
  if (node.children !== undefined) {
    if (!Array.isArray(node.children)) throw new QrisError('BAD_FIELD', `The children of ${path} must be an array.`, { tag: path });
    value = '';
    len = 0;
    for (const child of node.children) {
      const cid = checkId(child, path);
      value += writeObject(child, cid, path + '/' + cid);
      len += written;
    }
  } else if (typeof node.value === 'string') {
    value = node.value;
    len = codePointLength(value);
  } else {
    throw new QrisError('BAD_FIELD', `Data object ${path} needs a string value or children.`, { tag: path });
  }
  if (len > 99) throw new QrisError('VALUE_TOO_LONG', `Data object ${path} would be ${len} characters long; the length field allows at most 99.`, { tag: path });
  written = len + 4;
  return id + TWO_DIGITS[len]! + value;
}

export type { QrisErrorCode };
