/**
 * buildCpm(): data objects -> the minimal encoding (shortest length forms), as base64 text. For
 * tests, and for wallet developers who show a code. It writes what it is given, in the order given:
 * `validateCpm` judges the result; the builder only refuses what cannot be encoded.
 */
import { callerThrew, describeValue, isQrisError, QrisError } from '../errors.js';
import { encodeBase64 } from './base64.js';
import { hexBytes, lengthBytes, MAX_DEPTH, tagBytes } from './ber.js';
import { MAX_CPM_BYTES } from './parse.js';

/**
 * One data object to write. Give exactly one of `value` (bytes, or hex text), `text` (ASCII: the
 * `an` / `ans` formats, e.g. `50` or `5F20`) or `children` (constructed tags only).
 */
export interface CpmObjectInput {
  /** The tag in hex, any case: `85`, `61`, `5F2D`, `9F74`. */
  readonly tag: string;
  readonly value?: Uint8Array | string;
  readonly text?: string;
  readonly children?: readonly CpmObjectInput[];
}

export interface BuildCpmOptions {
  /**
   * Put `85` = `CPV01` first when the objects do not start with an `85`.
   * @default true
   */
  readonly payloadFormat?: boolean | undefined;
}

const PFI: CpmObjectInput = { tag: '85', text: 'CPV01' };

/**
 * Encodes `objects` as the base64 text of a CPM QR code. Throws `BAD_FIELD` for an object that
 * cannot be encoded (a malformed tag, children under a primitive tag, non-hex value text,
 * non-ASCII `text`, more than 8 levels of objects), `BAD_OPTION` for bad options and `OUTPUT_TOO_LONG` past
 * 3072 bytes.
 */
export function buildCpm(objects: readonly CpmObjectInput[], options?: BuildCpmOptions): string {
  let withPfi = true;
  if (options !== undefined) {
    if (options === null || typeof options !== 'object')
      throw new QrisError('BAD_OPTION', 'buildCpm() options must be an object such as { payloadFormat: false }.');
    const p = options.payloadFormat;
    if (p !== undefined && typeof p !== 'boolean') throw new QrisError('BAD_OPTION', `payloadFormat must be a boolean; got ${describeValue(p)}.`);
    withPfi = p ?? true;
  }
  try {
    if (!Array.isArray(objects)) throw new QrisError('BAD_FIELD', `buildCpm() takes an array of data objects; got ${describeValue(objects)}.`);
    const list: readonly CpmObjectInput[] = objects;
    const first = list[0];
    const all = withPfi && (first === undefined || String(first.tag).toUpperCase() !== '85') ? [PFI, ...list] : list;
    const out: number[] = [];
    writeList(all, out, '', 0);
    if (out.length > MAX_CPM_BYTES)
      throw new QrisError('OUTPUT_TOO_LONG', `The code would have ${out.length} bytes; a CPM code is read up to ${MAX_CPM_BYTES}.`);
    return encodeBase64(Uint8Array.from(out));
  } catch (e) {
    if (isQrisError(e)) throw e;
    throw callerThrew('BAD_FIELD', 'the data objects', e);
  }
}

function writeList(objects: readonly CpmObjectInput[], out: number[], parent: string, depth: number): void {
  if (depth >= MAX_DEPTH) throw new QrisError('BAD_FIELD', `Data objects are nested more than ${MAX_DEPTH} levels deep (or they are cyclic).`, { tag: parent });
  for (const o of objects) writeOne(o, out, parent, depth);
}

function writeOne(o: CpmObjectInput, out: number[], parent: string, depth: number): void {
  if (o === null || typeof o !== 'object')
    throw new QrisError('BAD_FIELD', `A data object must be an object like { tag: "50", text: "QRISCPM" }; got ${describeValue(o)}.`, where(parent));
  const tagText = o.tag;
  const tag = typeof tagText === 'string' ? tagBytes(tagText) : null;
  if (tag === null) throw new QrisError('BAD_FIELD', `${describeValue(tagText)} is not a BER-TLV tag in hex (1-4 bytes, e.g. "5A" or "9F74").`, where(parent));
  const path = parent === '' ? tagText.toUpperCase() : `${parent}/${tagText.toUpperCase()}`;
  const given = Number(o.value !== undefined) + Number(o.text !== undefined) + Number(o.children !== undefined);
  if (given !== 1) throw new QrisError('BAD_FIELD', `Data object ${path} needs exactly one of value, text or children.`, { tag: path });
  const constructed = (tag[0]! & 0x20) !== 0;
  let value: ArrayLike<number>;
  if (o.children !== undefined) {
    if (!constructed) throw new QrisError('BAD_FIELD', `${path} is a primitive tag (b6 of its first byte is 0): it cannot hold children.`, { tag: path });
    if (!Array.isArray(o.children)) throw new QrisError('BAD_FIELD', `The children of ${path} must be an array.`, { tag: path });
    const inner: number[] = [];
    writeList(o.children, inner, path, depth + 1);
    value = inner;
  } else if (o.text !== undefined) {
    value = asciiBytes(o.text, path);
  } else {
    const v = o.value;
    const bytes = v instanceof Uint8Array ? v : typeof v === 'string' ? hexBytes(v) : null;
    if (bytes === null) throw new QrisError('BAD_FIELD', `The value of ${path} must be a Uint8Array or hex text; got ${describeValue(v)}.`, { tag: path });
    value = bytes;
  }
  if (value.length > 0xffff) throw new QrisError('OUTPUT_TOO_LONG', `${path} would hold ${value.length} bytes.`, { tag: path });
  for (const b of tag) out.push(b);
  for (const b of lengthBytes(value.length)) out.push(b);
  for (let i = 0; i < value.length; i++) out.push(value[i]!);
}

function asciiBytes(text: unknown, path: string): number[] {
  if (typeof text !== 'string') throw new QrisError('BAD_FIELD', `The text of ${path} must be a string; got ${describeValue(text)}.`, { tag: path });
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7e || c < 0x20)
      throw new QrisError('BAD_FIELD', `The text of ${path} holds ${describeValue(text[i])}; an/ans values are printable ASCII (give bytes as value).`, {
        tag: path,
      });
    out.push(c);
  }
  return out;
}

function where(parent: string): { tag?: string } {
  return parent === '' ? {} : { tag: parent };
}
