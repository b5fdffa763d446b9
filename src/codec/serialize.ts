/**
 * serialize(): a tree back to a payload. Lengths are recomputed from the values, templates are
 * rebuilt from their children, and the CRC (ID 63) is recomputed and placed last.
 *
 * The tree is the caller's: it may be edited, hand-made, hostile (cyclic, 100,000 levels deep, a
 * revoked Proxy, a getter that throws). Every way it can be wrong is a `QrisError`; see
 * `MAX_NESTING` for the depth bound that also stops cycles.
 */
import { crc16, formatCrc } from './crc16.js';
import { callerThrew, describeValue, QrisError } from '../errors.js';
import type { ParsedQris } from './parse.js';
import { LEVELS } from './scan-context.js';
import { TWO_DIGITS } from './scan.js';
import { MAX_INPUT_LENGTH } from './structure.js';

/** Input for `serialize`: a parsed node, or any object with an ID and a value or children. */
export interface TlvInput {
  readonly id: string;
  readonly value?: string;
  readonly children?: readonly TlvInput[];
}

/**
 * Levels of data objects a tree may have: root > template > 62's 50-99 templates, the deepest the
 * spec defines. A deeper tree (or a cyclic one, which is infinitely deep) is refused with BAD_FIELD.
 */
export const MAX_NESTING = LEVELS;

/** What one `serialize` call carries down the tree (no module variable acts as a second return value). */
interface Writer {
  /** Code points of the objects written so far at the current level: the text is a rope, never rescanned. */
  cps: number;
  /** The nodes from the root to the one being written, for the cycle check. */
  readonly ancestors: TlvInput[];
}

/**
 * Writes a tree back to a payload. For an unedited parse result this returns the payload exactly
 * as parsed (a lowercase CRC comes back uppercase). Throws BAD_FIELD for a tree that is not one
 * (not an array, a node without a string value or children, deeper than `MAX_NESTING`, cyclic,
 * a value with an unpaired surrogate), BAD_ID, DUPLICATE_ID, PFI_*, CRC_NOT_LAST, VALUE_TOO_LONG
 * and TOO_LONG for what a payload cannot hold.
 */
export function serialize(tree: ParsedQris | readonly TlvInput[]): string {
  let out: string;
  try {
    out = writeRoot(tree);
  } catch (e) {
    throw callerThrew('BAD_FIELD', 'the tree given to serialize()', e);
  }
  return out + formatCrc(crc16(out));
}

/** Everything up to and including "6304". */
function writeRoot(tree: ParsedQris | readonly TlvInput[]): string {
  const nodes: unknown = Array.isArray(tree) ? tree : tree !== null && typeof tree === 'object' ? (tree as ParsedQris).nodes : undefined;
  if (!Array.isArray(nodes)) throw new QrisError('BAD_FIELD', 'serialize() takes a parse result or an array of data objects.');
  const list = nodes as readonly TlvInput[];
  const n = list.length;
  if (n === 0) throw new QrisError('PFI_MISSING', 'Nothing to serialize: the Payload Format Indicator (ID 00) is missing.', { tag: '00' });
  const w: Writer = { cps: 0, ancestors: [] };
  // Root IDs written so far, one bit each. A plain array: a 100-byte Uint8Array is past V8's on-heap
  // typed-array size and cost this function a quarter of its time.
  const seen = [0, 0, 0, 0];
  let out = '';
  let crcAt = -1;
  for (let i = 0; i < n; i++) {
    const node = list[i]!;
    const id = checkId(node, '');
    const num = (id.charCodeAt(0) - 48) * 10 + id.charCodeAt(1) - 48;
    const bit = 1 << (num & 31);
    if ((seen[num >>> 5]! & bit) !== 0) throw new QrisError('DUPLICATE_ID', `Data object ${id} appears more than once at the root.`, { tag: id });
    seen[num >>> 5]! |= bit;
    if (id === '63') {
      crcAt = i;
      continue;
    }
    if (i === 0 && id !== '00') {
      throw new QrisError(hasPfi(list) ? 'PFI_NOT_FIRST' : 'PFI_MISSING', 'The Payload Format Indicator (ID 00) must be the first data object.', { tag: '00' });
    }
    out += writeObject(w, node, id, id, 0);
    // Checked as we go: a hostile array cannot make us build more than one payload's worth of text.
    if (w.cps + 8 > MAX_INPUT_LENGTH) {
      throw new QrisError(
        'TOO_LONG',
        `The payload would have more than ${MAX_INPUT_LENGTH} characters (${w.cps + 8} by data object ${id}); the library reads at most ${MAX_INPUT_LENGTH}.`,
      );
    }
  }
  if (crcAt >= 0 && crcAt !== n - 1) throw new QrisError('CRC_NOT_LAST', 'The CRC (ID 63) must be the last data object.', { tag: '63' });
  return out + '6304';
}

function hasPfi(list: readonly TlvInput[]): boolean {
  for (let i = 0; i < list.length; i++) {
    const node = list[i];
    if (node !== null && typeof node === 'object' && node.id === '00') return true;
  }
  return false;
}

function checkId(node: unknown, parent: string): string {
  const id = node !== null && typeof node === 'object' ? (node as TlvInput).id : undefined;
  if (typeof id !== 'string' || id.length !== 2 || !isDigit(id.charCodeAt(0)) || !isDigit(id.charCodeAt(1))) {
    const what =
      node === null || typeof node !== 'object'
        ? `a data object must be an object with an ID; got ${describeValue(node)}`
        : `a data object ID must be two digits; got ${describeValue(id)}`;
    throw new QrisError('BAD_ID', what[0]!.toUpperCase() + what.slice(1) + '.', parent ? { tag: parent } : {});
  }
  return id;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The TLV text of `node` at nesting level `depth` (0 = root); adds its code points to `w.cps`. */
function writeObject(w: Writer, node: TlvInput, id: string, path: string, depth: number): string {
  let value: string;
  let len: number;
  const children: unknown = node.children;
  if (children !== undefined) {
    if (!Array.isArray(children)) throw new QrisError('BAD_FIELD', `The children of ${path} must be an array.`, { tag: path });
    if (w.ancestors.includes(node)) throw new QrisError('BAD_FIELD', `Data object ${path} contains itself: a cyclic tree cannot be written.`, { tag: path });
    if (depth + 1 >= MAX_NESTING) {
      throw new QrisError(
        'BAD_FIELD',
        `Data object ${path} has children, but the spec nests at most ${MAX_NESTING} levels (root > template > 62's 50-99 templates).`,
        { tag: path },
      );
    }
    const list = children as readonly TlvInput[];
    const outer = w.cps;
    w.cps = 0;
    w.ancestors.push(node);
    value = '';
    for (let i = 0; i < list.length; i++) {
      const child = list[i];
      const cid = checkId(child, path);
      value += writeObject(w, child!, cid, path + '/' + cid, depth + 1);
      if (w.cps > 99) break; // reported below; stop before a huge array costs more
    }
    w.ancestors.pop();
    len = w.cps;
    w.cps = outer;
  } else {
    const v: unknown = node.value;
    if (typeof v !== 'string')
      throw new QrisError('BAD_FIELD', `Data object ${path} needs a string value or children${v === undefined ? '' : `; got ${describeValue(v)}`}.`, {
        tag: path,
      });
    // More than 198 UTF-16 units is more than 99 code points: refused without counting a huge value.
    if (v.length > 198)
      throw new QrisError(
        'VALUE_TOO_LONG',
        `Data object ${path} would be over 99 characters long (${v.length} UTF-16 units); the length field allows at most 99.`,
        { tag: path },
      );
    len = codePointsOrLone(v);
    if (len < 0) {
      throw new QrisError(
        'BAD_FIELD',
        `Data object ${path} holds an unpaired UTF-16 surrogate at index ${-1 - len}: it has no UTF-8 form, so no QR code can carry it.`,
        { tag: path },
      );
    }
    value = v;
  }
  if (len > 99)
    throw new QrisError('VALUE_TOO_LONG', `Data object ${path} would be ${len} characters long; the length field allows at most 99.`, { tag: path });
  w.cps += len + 4;
  return id + TWO_DIGITS[len]! + value;
}

/** Code points of `s` (what a length field counts), or -1 - i when s[i] is an unpaired surrogate: one pass for both. */
function codePointsOrLone(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++, n++) {
    const c = s.charCodeAt(i);
    if ((c & 0xf800) !== 0xd800) continue; // not a surrogate: the common case, one compare
    if (c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    else return -1 - i;
  }
  return n;
}
