/**
 * BER-TLV as EMV Book 3 Annex B uses it: the reader (bytes -> tree with offsets) and the writer
 * (tree -> minimal bytes). Tags: a first byte whose low 5 bits are all 1 continues, and each
 * subsequent byte continues while its b8 is 1. Lengths: short form (00-7F), or 81 / 82 followed by
 * one / two bytes. b6 of the first tag byte marks a constructed object, whose value is data objects.
 *
 * Bounds: a tag has at most 4 bytes, data objects sit at most `MAX_DEPTH` levels deep, and the reader
 * reads each header byte once per level it sits in (time linear in the input).
 */
import { isQrisError, QrisError } from '../errors.js';

/** One BER-TLV data object. `value` is a view of the parsed bytes (parseCpm copies the input first). */
export interface CpmNode {
  /** The tag in upper-case hex: `85`, `61`, `5F20`, `9F74`. */
  readonly tag: string;
  /** Byte offset of the tag's first byte in the decoded payload. */
  readonly offset: number;
  /** Byte offset of the value (after the tag and length bytes). */
  readonly valueOffset: number;
  /** Value length in bytes. */
  readonly length: number;
  /** The raw value bytes (for a template: its encoded children, as they were). */
  readonly value: Uint8Array;
  /** b6 of the first tag byte: the value is data objects. */
  readonly constructed: boolean;
  /**
   * The decoded children of a constructed object. The transparent templates 63 and 64 (§5.1.1.7-8)
   * have them only when their value happens to be BER-TLV; `value` always holds their bytes.
   */
  readonly children?: readonly CpmNode[];
}

/** Levels of data objects read: the root and 7 templates inside one another (CPM needs 3: 61 > 63 > 9F74). */
export const MAX_DEPTH = 8;
/** Longest tag read, in bytes (EMV uses 1-3). */
export const MAX_TAG_BYTES = 4;
/** Templates the POI keeps as one blob (§5.1.1.7, §5.1.1.8): decoded when possible, never refused. */
const TRANSPARENT = new Set(['63', '64']);

const HEX = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16).toUpperCase());

/** `bytes` as upper-case hex. */
export function toHex(bytes: ArrayLike<number>, start = 0, end = bytes.length): string {
  let s = '';
  for (let i = start; i < end; i++) s += HEX[bytes[i]!]!;
  return s;
}

const pathOf = (parent: string, tag: string) => (parent === '' ? tag : `${parent}/${tag}`);

/**
 * The data objects of `bytes[start, end)`. `reader` is what header bytes are read from (the same
 * bytes; tests pass a counting view); values are views of `bytes`.
 */
export function readObjects(bytes: Uint8Array, start: number, end: number, depth = 0, parent = '', reader: ArrayLike<number> = bytes): CpmNode[] {
  const r = reader;
  const out: CpmNode[] = [];
  let p = start;
  while (p < end) {
    const first = r[p]!;
    if (first === 0x00 || first === 0xff) throw filler(r, p, end, parent);
    let q = p + 1;
    if ((first & 0x1f) === 0x1f) {
      let b: number;
      do {
        if (q >= end) throw new QrisError('BER_BAD_TAG', `A multi-byte tag starting ${HEX[first]} never ends: the data ends inside it.`, at(p, parent));
        b = r[q++]!;
        if (q - p > MAX_TAG_BYTES)
          throw new QrisError('BER_BAD_TAG', `A tag starting ${toHex(r, p, p + 2)} is longer than ${MAX_TAG_BYTES} bytes.`, at(p, parent));
      } while (b & 0x80);
    }
    const tag = toHex(r, p, q);
    const path = pathOf(parent, tag);
    if (q >= end) throw new QrisError('TRUNCATED', `The data ends after tag ${tag}, before its length.`, { offset: q, tag: path });
    const l0 = r[q++]!;
    let len = l0;
    if (l0 >= 0x80) {
      if (l0 !== 0x81 && l0 !== 0x82) {
        const why = l0 === 0x80 ? 'the indefinite form 80 is not used in EMV' : `${HEX[l0]} announces ${l0 & 0x7f} length bytes; EMV uses at most 2`;
        throw new QrisError('BER_BAD_LENGTH', `The length of ${tag} is not valid: ${why}.`, { offset: q - 1, tag: path });
      }
      const k = l0 & 0x7f;
      if (end - q < k) throw new QrisError('TRUNCATED', `The data ends inside the length of ${tag}.`, { offset: q, tag: path });
      len = k === 1 ? r[q]! : (r[q]! << 8) | r[q + 1]!;
      q += k;
    }
    if (len > end - q) {
      const where = parent === '' ? 'the payload' : `template ${parent}`;
      throw new QrisError('BER_LENGTH_OVERRUN', `${tag} declares ${len} bytes, but ${where} has ${end - q} left.`, { offset: p, tag: path });
    }
    const vEnd = q + len;
    const constructed = (first & 0x20) !== 0;
    let children: CpmNode[] | undefined;
    if (constructed) {
      if (depth + 1 >= MAX_DEPTH) {
        throw new QrisError('NESTING_TOO_DEEP', `Data objects are nested more than ${MAX_DEPTH} levels deep (the root and ${MAX_DEPTH - 1} templates).`, {
          offset: p,
          tag: path,
        });
      }
      if (TRANSPARENT.has(tag)) children = tryRead(bytes, q, vEnd, depth + 1, path, r);
      else children = readObjects(bytes, q, vEnd, depth + 1, path, r);
    }
    const node: CpmNode = children
      ? { tag, offset: p, valueOffset: q, length: len, value: bytes.subarray(q, vEnd), constructed, children }
      : { tag, offset: p, valueOffset: q, length: len, value: bytes.subarray(q, vEnd), constructed };
    out.push(node);
    p = vEnd;
  }
  return out;
}

/** A transparent template's children, or undefined when its blob is not BER-TLV (allowed). */
function tryRead(bytes: Uint8Array, start: number, end: number, depth: number, path: string, r: ArrayLike<number>): CpmNode[] | undefined {
  try {
    return readObjects(bytes, start, end, depth, path, r);
  } catch (e) {
    if (isQrisError(e)) return undefined;
    throw e;
  }
}

/** 00 / FF in tag position: Book 3's filler when only filler follows (refused: a QR has no use for it), else a bad tag. */
function filler(r: ArrayLike<number>, p: number, end: number, parent: string): QrisError {
  let q = p;
  while (q < end && (r[q] === 0x00 || r[q] === 0xff)) q++;
  if (q === end) return new QrisError('TRAILING_BYTES', `${end - p} filler byte(s) (00 or FF) follow the last data object.`, at(p, parent));
  return new QrisError('BER_BAD_TAG', `A tag cannot start with ${HEX[r[p]!]} (filler between data objects).`, at(p, parent));
}

function at(offset: number, parent: string): { offset: number; tag?: string } {
  return parent === '' ? { offset } : { offset, tag: parent };
}

// ---- writer ------------------------------------------------------------------------------------------

/** Bytes of a tag given in hex, or null when it is not one well-formed BER tag of 1-4 bytes. */
export function tagBytes(hex: string): number[] | null {
  if (hex.length < 2 || hex.length > 2 * MAX_TAG_BYTES || hex.length % 2 !== 0) return null;
  const b: number[] = [];
  for (let i = 0; i < hex.length; i += 2) {
    const v = parseHexByte(hex, i);
    if (v < 0) return null;
    b.push(v);
  }
  const first = b[0]!;
  if (first === 0x00 || first === 0xff) return null;
  const multi = (first & 0x1f) === 0x1f;
  if (!multi) return b.length === 1 ? b : null;
  if (b.length < 2) return null;
  for (let i = 1; i < b.length; i++) if (((b[i]! & 0x80) !== 0) !== i < b.length - 1) return null;
  return b;
}

function parseHexByte(s: string, i: number): number {
  const h = hexDigit(s.charCodeAt(i));
  const l = hexDigit(s.charCodeAt(i + 1));
  return h < 0 || l < 0 ? -1 : (h << 4) | l;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const u = c & ~0x20;
  return u >= 65 && u <= 70 ? u - 55 : -1;
}

/** The shortest length field for `n` (n < 65536). */
export function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, n >> 8, n & 0xff];
}

/** Bytes of hex text, or null when it is not an even number of hex digits. */
export function hexBytes(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const v = parseHexByte(hex, 2 * i);
    if (v < 0) return null;
    out[i] = v;
  }
  return out;
}
