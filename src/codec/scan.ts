/**
 * The TLV scanner: one pass per nesting level records where each data object starts and ends, into
 * the slots of a `ScanContext` (see scan-context.ts for who owns that state). Nodes, edits and CRCs
 * are all made from these offsets; nothing here allocates on the success path.
 *
 * Lengths count Unicode code points (EMVCo counts characters). When the payload is pure ASCII (known
 * for free from the UTF-8 encode the CRC needs anyway) a value's end is simply start + length.
 */
import { formatCrc, parseCrcHex } from './crc16.js';
import { QrisError, quote } from '../errors.js';
import { MAX_OBJECTS, type Level, type ScanContext } from './scan-context.js';
import { CPM_TEXT_PREFIX, MAX_INPUT_LENGTH } from './structure.js';

/**
 * "00".."99", so IDs and lengths never allocate. Typed readonly but not frozen: loads from a frozen
 * array measured 10% slower parses (frozen elements kind).
 */
export const TWO_DIGITS: readonly string[] = /* @__PURE__ */ Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + i);

/**
 * Scans the data objects in ctx.payload[start, end) into `ctx.objects[level]`; returns the count.
 * Throws a `QrisError` whose offset is in the input as given (`ctx.start + position`).
 */
export function scanLevel(ctx: ScanContext, level: Level, start: number, end: number, path: string): number {
  const out = ctx.objects[level];
  return ctx.ascii ? scanAscii(ctx, ctx.bytes, start, end, out, path) : scanChecked(ctx, start, end, out, path);
}

/**
 * The hot loop for ASCII text, over its bytes (typed-array loads are cheaper than charCodeAt, and a
 * length is a plain byte count). It only detects a problem; `scanChecked` rescans to report it.
 */
function scanAscii(ctx: ScanContext, b: Uint8Array, start: number, end: number, out: Int32Array, path: string, stamp = 0): number {
  const { seen, index } = ctx;
  let dup = -1;
  let p = start;
  let n = 0;
  while (p < end) {
    // Unsigned compares: a byte below '0' wraps to a huge number; past `end` is caught first.
    const i0 = b[p]! - 48;
    const i1 = b[p + 1]! - 48;
    const l0 = b[p + 2]! - 48;
    const l1 = b[p + 3]! - 48;
    const vEnd = p + 4 + l0 * 10 + l1;
    if (end - p < 4 || i0 >>> 0 > 9 || i1 >>> 0 > 9 || l0 >>> 0 > 9 || l1 >>> 0 > 9 || vEnd > end || n === MAX_OBJECTS) {
      scanChecked(ctx, start, end, out, path);
      throw new Error('unreachable: scanChecked accepted what scanAscii refused');
    }
    const k = n << 2;
    const id = i0 * 10 + i1;
    out[k] = p;
    out[k + 1] = id;
    out[k + 2] = p + 4;
    out[k + 3] = vEnd;
    // Root scans (stamp > 0) stamp IDs on the same pass; a repeat is reported once the scan is sound.
    if (stamp !== 0) {
      if (seen[id] === stamp && dup < 0) dup = n;
      seen[id] = stamp;
      index[id] = n;
    }
    n++;
    p = vEnd;
  }
  if (dup >= 0) duplicateAt(ctx, out, dup);
  return n;
}

/** Scans with every check spelled out, and throws the precise `QrisError` for the first problem. */
function scanChecked(ctx: ScanContext, start: number, end: number, out: Int32Array, path: string): number {
  const s = ctx.payload;
  const base = ctx.start;
  let p = start;
  let n = 0;
  while (p < end) {
    if (end - p < 4) {
      throw new QrisError(
        'TRUNCATED',
        `The payload ends inside a data object header: ${end - p} character(s) left where ID and length need 4.`,
        where(base + p, path),
      );
    }
    const i0 = s.charCodeAt(p) - 48;
    const i1 = s.charCodeAt(p + 1) - 48;
    const l0 = s.charCodeAt(p + 2) - 48;
    const l1 = s.charCodeAt(p + 3) - 48;
    // One unsigned compare per digit: a character below '0' wraps to a huge number.
    if (i0 >>> 0 > 9 || i1 >>> 0 > 9) {
      // Only on the error path: a consumer's code pasted where a merchant's belongs gets its own name.
      if (p === 0 && path === '' && s.startsWith(CPM_TEXT_PREFIX)) {
        throw new QrisError('CPM_NOT_MPM', undefined, { offset: base });
      }
      throw new QrisError('BAD_ID', `A data object ID must be two digits; found ${quote(s.slice(p, p + 2))}.`, where(base + p, path));
    }
    const id = i0 * 10 + i1;
    if (l0 >>> 0 > 9 || l1 >>> 0 > 9) {
      const tag = tagPath(path, id);
      throw new QrisError('BAD_LENGTH', `The length of data object ${tag} must be two digits; found ${quote(s.slice(p + 2, p + 4))}.`, {
        offset: base + p + 2,
        tag,
      });
    }
    const len = l0 * 10 + l1;
    const vStart = p + 4;
    const vEnd = ctx.ascii ? vStart + len : advanceCodePoints(s, vStart, len, end);
    if (vEnd > end) {
      const tag = tagPath(path, id);
      throw new QrisError('TRUNCATED', `Data object ${tag} declares ${len} character(s) but only ${countCodePoints(s, vStart, end)} remain.`, {
        offset: base + p,
        tag,
      });
    }
    if (n === MAX_OBJECTS) throw new QrisError('TOO_LONG', `More than ${MAX_OBJECTS} data objects at one level.`, where(base + p, path));
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

/**
 * Scans the root level of `input` into `ctx` and checks the structure `parse` guarantees: size,
 * well-formed objects, duplicate IDs, 00 first, 63 last with four hex digits. The CRC itself is
 * left to the caller (`parse` computes it in one go over `ctx.bytes`; the converter records states
 * on the way, to reuse for its output). Everything the previous scan left in `ctx` is replaced.
 */
export function scanRoot(ctx: ScanContext, input: unknown): void {
  if (typeof input !== 'string') {
    throw new QrisError('NOT_A_STRING', `Expected the payload as a string, got ${input === null ? 'null' : typeof input}.`);
  }
  // O(1), before any scan: no payload of MAX_INPUT_LENGTH code points has twice as many UTF-16 units.
  if (input.length > 2 * MAX_INPUT_LENGTH) {
    throw new QrisError(
      'TOO_LONG',
      `The input is ${input.length} UTF-16 units long; the library reads at most ${MAX_INPUT_LENGTH} characters (no QR code holds more than 2953 bytes).`,
      { offset: MAX_INPUT_LENGTH },
    );
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
      throw new QrisError(
        'TOO_LONG',
        `The payload has ${cps} characters; the library reads at most ${MAX_INPUT_LENGTH} (no QR code holds more than 2953 bytes).`,
        { offset: start + MAX_INPUT_LENGTH },
      );
    }
  }
  const byteLength = ctx.encode(payload);
  ctx.payload = payload;
  ctx.start = start;
  ctx.byteLength = byteLength;
  ctx.ascii = byteLength === payload.length;
  // Duplicate root IDs: seen[id] holds the number of the scan that last saw id, so nothing is cleared.
  const objects = ctx.objects[0];
  const { seen, index } = ctx;
  const stamp = ctx.nextStamp();
  const count = ctx.ascii
    ? scanAscii(ctx, ctx.bytes, 0, payload.length, objects, '', stamp)
    : stampRoot(ctx, scanChecked(ctx, 0, payload.length, objects, ''), stamp);
  ctx.count = count;
  // Looked up once after the loop rather than compared for every object.
  const pfiAt = seen[0] === stamp ? index[0]! : -1;
  const crcAt = seen[63] === stamp ? index[63]! : -1;
  if (pfiAt !== 0) {
    if (pfiAt < 0)
      throw new QrisError('PFI_MISSING', 'The Payload Format Indicator (ID 00) is missing; every EMVCo payload starts with "000201".', {
        offset: start,
        tag: '00',
      });
    throw new QrisError('PFI_NOT_FIRST', 'The Payload Format Indicator (ID 00) must be the first data object.', {
      offset: start + objects[pfiAt * 4]!,
      tag: '00',
    });
  }
  if (crcAt < 0)
    throw new QrisError('CRC_MISSING', 'The CRC (ID 63) is missing; a payload ends with "6304" and four hex digits.', {
      offset: start + payload.length,
      tag: '63',
    });
  if (crcAt !== count - 1) {
    throw new QrisError('CRC_NOT_LAST', 'The CRC (ID 63) must be the last data object.', { offset: start + objects[crcAt * 4]!, tag: '63' });
  }
  const k = crcAt * 4;
  const crcValueStart = objects[k + 2]!;
  if (objects[k + 3]! - crcValueStart !== 4 || payload.length - crcValueStart !== 4) {
    throw new QrisError('CRC_BAD_LENGTH', `The CRC (ID 63) must have length 04; found ${quote(payload.slice(objects[k]! + 2, objects[k]! + 4))}.`, {
      offset: start + objects[k]! + 2,
      tag: '63',
    });
  }
  const declared = parseCrcHex(payload, crcValueStart);
  if (declared < 0) {
    throw new QrisError('CRC_BAD_FORMAT', `The CRC (ID 63) must be four hex digits; found ${quote(payload.slice(crcValueStart))}.`, {
      offset: start + crcValueStart,
      tag: '63',
    });
  }
  ctx.declared = declared;
  // The four CRC digits are ASCII, so the CRC covers all bytes but the last four.
  ctx.crcIndex = byteLength - 4;
}

/** Stamps the root IDs of a non-ASCII scan (the ASCII scanner stamps on its own pass). */
function stampRoot(ctx: ScanContext, count: number, stamp: number): number {
  const objects = ctx.objects[0];
  const { seen, index } = ctx;
  for (let i = 0; i < count; i++) {
    const id = objects[i * 4 + 1]!;
    if (seen[id] === stamp) duplicateAt(ctx, objects, i);
    seen[id] = stamp;
    index[id] = i;
  }
  return count;
}

/** Throws DUPLICATE_ID for root object `i`, the first repeat of an ID. */
function duplicateAt(ctx: ScanContext, objects: Int32Array, i: number): never {
  const id = objects[i * 4 + 1]!;
  throw new QrisError('DUPLICATE_ID', `Data object ${TWO_DIGITS[id]} appears more than once at the root.`, {
    offset: ctx.start + objects[i * 4]!,
    tag: TWO_DIGITS[id]!,
  });
}

/** The CRC_MISMATCH error for the scan in `ctx`, whose content gives `computed`. */
export function crcMismatch(ctx: ScanContext, computed: number): QrisError {
  const { payload, start } = ctx;
  const crcValueStart = payload.length - 4;
  return new QrisError(
    'CRC_MISMATCH',
    `The CRC does not match: the payload declares ${payload.slice(crcValueStart)}, its content gives ${formatCrc(computed)}.`,
    {
      offset: start + crcValueStart,
      tag: '63',
      expected: formatCrc(computed),
      actual: payload.slice(crcValueStart),
    },
  );
}

/**
 * Scans the children of the root template whose value is ctx.payload[vStart, vEnd) into
 * `ctx.objects[1]`; returns the count. Throws TEMPLATE_NOT_TLV when the value does not hold data
 * objects (the converter cannot edit such a template in place).
 */
export function scanTemplate(ctx: ScanContext, vStart: number, vEnd: number, path: string): number {
  try {
    return scanLevel(ctx, 1, vStart, vEnd, path);
  } catch (e) {
    const err = e as QrisError;
    throw new QrisError('TEMPLATE_NOT_TLV', `Template ${path} does not hold data objects (${err.message}); it cannot be edited in place.`, {
      offset: err.offset ?? ctx.start + vStart,
      tag: path,
      cause: err,
    });
  }
}
