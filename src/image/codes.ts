/**
 * What both decoders (Node's decode.ts, the browser's decode-browser.ts) do with the symbols found:
 * group them by text (the same code printed twice is one code), say what each is, and apply the one
 * rule: exactly one distinct payment code is returned; two or more different ones are refused with
 * `IMAGE_MULTIPLE_CODES` (a second sticker over or beside the merchant's), never picked silently.
 */
import { QrisError, quote } from '../errors.js';
import type { CrcCheck } from '../codec/tlv.js';
import { parse, type TlvNode } from '../codec/tlv.js';
import { CPM_TEXT_PREFIX } from '../codec/structure.js';
import { maskPans } from '../qris/mask.js';
import type { Corners } from './detect.js';
import { checkEmvco, positionOf } from './emvco.js';
import type { Found } from './strategy.js';

/** Where a code is, in upright pixel coordinates: its corners and the box around them. */
export type Position = Corners & { readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number } };

/**
 * - `'qris'`: an EMVCo merchant-presented payload for Indonesia (58 = `ID`);
 * - `'emvco'`: another EMVCo payload (a partner scheme's code, or one without 58);
 * - `'cpm'`: a consumer-presented code (EMVCo CPM, base64 from a payer's app): not a merchant's code,
 *   so never the one `decodeImage` returns; its text is kept whole (read it with `qris-codec/cpm`);
 * - `'other'`: not a payment code (a URL, a Wi-Fi code, text, a malformed payload).
 */
export type CodeKind = 'qris' | 'emvco' | 'cpm' | 'other';

/** One distinct text found in the picture. */
export interface ImageCode {
  /** The symbol's text (a leading BOM and trailing CR/LF removed on every engine). */
  readonly text: string;
  readonly kind: CodeKind;
  /** Where it is (the first copy, in reading order). */
  readonly position: Position;
  /** How many times this same text is printed in the picture (the same code twice counts as one code). */
  readonly copies: number;
  /** Payment codes: the CRC (ID 63) as declared and as computed. */
  readonly crc?: CrcCheck;
}

interface Classified {
  readonly kind: CodeKind;
  readonly crc?: CrcCheck;
  /** Why an `other` code is not a payment code (the IMAGE_NOT_EMVCO error to throw when nothing else is). */
  readonly why?: QrisError;
}

function classify(text: string): Classified {
  if (text.startsWith(CPM_TEXT_PREFIX)) {
    const why = "A QR code was found, but it is a consumer-presented (CPM) code from a payer's app, not a merchant's code: read it with qris-codec/cpm.";
    return { kind: 'cpm', why: new QrisError('IMAGE_NOT_EMVCO', why, { actual: text }) };
  }
  try {
    const tree = checkEmvco(text, false);
    return { kind: valueAt(tree.nodes, '58') === 'ID' ? 'qris' : 'emvco', crc: tree.crc };
  } catch (e) {
    return { kind: 'other', why: e instanceof QrisError ? e : new QrisError('IMAGE_NOT_EMVCO') };
  }
}

/** Symbols grouped by text, in reading order (top to bottom, then left to right, by centre). */
export function groupCodes(found: readonly Found[], width: number, height: number): { codes: ImageCode[]; why: Map<string, QrisError> } {
  const byText = new Map<string, Found[]>();
  for (const f of [...found].sort(readingOrder)) {
    const list = byText.get(f.text);
    if (list) list.push(f);
    else byText.set(f.text, [f]);
  }
  const codes: ImageCode[] = [];
  const why = new Map<string, QrisError>();
  for (const [text, copies] of byText) {
    const c = classify(text);
    if (c.why) why.set(text, c.why);
    codes.push({ text, kind: c.kind, position: positionOf(copies[0]!.corners, width, height), copies: copies.length, ...(c.crc ? { crc: c.crc } : {}) });
  }
  return { codes, why };
}

function readingOrder(a: Found, b: Found): number {
  const ca = centre(a);
  const cb = centre(b);
  // Rows: centres within a fifth of the taller code's height are on one row.
  const rowTol = Math.max(height(a), height(b)) / 5;
  return Math.abs(ca.y - cb.y) > rowTol ? ca.y - cb.y : ca.x - cb.x;
}
const centre = (f: Found) => ({
  x: (f.corners.topLeft.x + f.corners.topRight.x + f.corners.bottomRight.x + f.corners.bottomLeft.x) / 4,
  y: (f.corners.topLeft.y + f.corners.topRight.y + f.corners.bottomRight.y + f.corners.bottomLeft.y) / 4,
});
const height = (f: Found) => Math.abs(f.corners.bottomLeft.y - f.corners.topLeft.y);

/**
 * The one payment code of the picture. `IMAGE_NOT_EMVCO` when there is none (with the reason of the
 * first code that looked like one), `IMAGE_MULTIPLE_CODES` when there are different ones.
 */
export function onePaymentCode(codes: readonly ImageCode[], why: ReadonlyMap<string, QrisError>, strictCrc: boolean): ImageCode {
  const payments = codes.filter((c) => c.kind === 'qris' || c.kind === 'emvco');
  if (payments.length === 0) {
    const first = codes.find((c) => c.text.startsWith('0002')) ?? codes[0]!;
    const e = why.get(first.text) ?? new QrisError('IMAGE_NOT_EMVCO');
    if (codes.length === 1) throw e;
    throw new QrisError('IMAGE_NOT_EMVCO', `${codes.length} QR codes were found and none holds an EMVCo payment payload. The first: ${e.message}`, {
      ...(e.actual === undefined ? {} : { actual: e.actual }),
      cause: e,
    });
  }
  if (payments.length > 1) throw multipleCodes(payments);
  const only = payments[0]!;
  // The CRC was read when the code was classified: parse again only to throw strictCrc's error.
  if (strictCrc && !only.crc!.valid) checkEmvco(only.text, true);
  return only;
}

/** The refusal of a picture with several different payment codes, naming each so a person can compare them. */
export function multipleCodes(payments: readonly ImageCode[]): QrisError {
  const facts = payments.map((c) => {
    // Read straight from the tree: info() refuses a template with a repeated sub-ID, and a person
    // must still be told what each code says.
    const nodes = parse(c.text, { verifyCrc: false }).nodes;
    const account = nodes.find((n) => Number(n.id) >= 26 && Number(n.id) <= 50 && valueAt(n.children ?? [], '01') !== undefined);
    return { name: valueAt(nodes, '59'), nmid: valueAt(nodes, '51', '02'), account: account && valueAt(account.children!, '01') };
  });
  const pans = facts.map((f) => f.account ?? '');
  const masked = maskPans(pans);
  const lines = facts.map((f, k) => {
    const parts = [f.name === undefined ? 'no merchant name' : quote(f.name), `NMID ${f.nmid ?? 'none'}`, `account ${f.account ? masked[k] : 'none'}`];
    return `${k + 1}) ${parts.join(', ')}`;
  });
  return new QrisError(
    'IMAGE_MULTIPLE_CODES',
    `The picture holds ${payments.length} different payment codes, so none was used: ${lines.join('; ')}. A second QR sticker may have been put over or beside the merchant's; check which one is the merchant's. To read all of them on purpose, pass { all: true }.`,
    { candidates: payments.map((c) => c.text) },
  );
}

/** The value at `path` (first copy), or undefined. */
function valueAt(nodes: readonly TlvNode[], ...path: string[]): string | undefined {
  let level: readonly TlvNode[] | undefined = nodes;
  for (const [k, id] of path.entries()) {
    const n: TlvNode | undefined = level?.find((x) => x.id === id);
    if (n === undefined) return undefined;
    if (k === path.length - 1) return n.value;
    level = n.children;
  }
  return undefined;
}
