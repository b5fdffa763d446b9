/**
 * Static <-> dynamic conversion as a handful of edits on the original text.
 *
 * One root scan finds where each data object sits; the conversion is a short list of
 * (start, end, replacement) edits; every other character is copied from the input unchanged and in
 * order. One pass over the input's bytes verifies its CRC and records the states where an edit
 * changes the length; because CRC is linear the output CRC follows from those states (`crcShift`)
 * without a second pass over the bytes.
 */
import { formatAmount, formatPercent, type AmountFormat } from './amount.js';
import { CRC_INIT, crcShift, crcUpdate, crcUpdateAscii, crcUpdateMarked, encodeToScratch, formatCrc, markBlock, scratchBytes } from './crc16.js';
import { describeValue, QrisError } from './errors.js';
import { ADDITIONAL_DATA_ID, ADDITIONAL_DATA_MAX, MAX_PAYLOAD_LENGTH, TIP_INDICATOR } from './spec.js';
import { codePointLength, crcMismatch, rootIndexOf, scanRoot, scanTemplate, TWO_DIGITS, type RootScan } from './tlv.js';

/** Tip or convenience fee: 55 `01` (payer enters a tip), `02` + 56 (fixed), `03` + 57 (percent). */
export type FeeOption =
  | { readonly type: 'prompt' }
  | { readonly type: 'fixed'; readonly value: number | string }
  | { readonly type: 'percent'; readonly value: number | string };

/** Additional Data (62) fields the converter can set; each at most 25 characters. */
export interface AdditionalDataEdits {
  /** 62/01 Bill Number (`***` asks the payer). */
  readonly billNumber?: string;
  /** 62/05 Reference Label. */
  readonly referenceLabel?: string;
  /** 62/07 Terminal Label. */
  readonly terminalLabel?: string;
}

export interface ToDynamicOptions extends AmountFormat, AdditionalDataEdits {
  /** The amount: a positive number or decimal string (e.g. `25000` or `"25000.50"` with `decimals: 2`). */
  readonly amount: number | string;
  /** Adds a tip or convenience fee, replacing the merchant's own 55/56/57 if present. */
  readonly fee?: FeeOption;
  /** Accept an input that already has an amount (dynamic, or static with 54) and replace 54 in place. @default false */
  readonly replaceAmount?: boolean;
}

export interface ToStaticOptions {
  /** Also remove the tip / convenience fee (55, 56, 57). @default false */
  readonly removeFees?: boolean;
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Root objects the conversions need to find, by index into the scan (-1 when absent). */
interface Layout {
  readonly i00: number;
  readonly i01: number;
  readonly i53: number;
  readonly i54: number;
  readonly i55: number;
  readonly i56: number;
  readonly i57: number;
  readonly i62: number;
}

function layout(scan: RootScan): Layout {
  return {
    i00: rootIndexOf(scan, 0),
    i01: rootIndexOf(scan, 1),
    i53: rootIndexOf(scan, 53),
    i54: rootIndexOf(scan, 54),
    i55: rootIndexOf(scan, 55),
    i56: rootIndexOf(scan, 56),
    i57: rootIndexOf(scan, 57),
    i62: rootIndexOf(scan, 62),
  };
}

/** The first object, in written order, whose ID is above `id`: where a missing `id` goes. */
function firstAbove(scan: RootScan, id: number): number {
  const o = scan.objects;
  for (let i = 0; i < scan.count; i++) if (o[i * 4 + 1]! > id) return i;
  return -1;
}

const objStart = (scan: RootScan, i: number): number => scan.objects[i * 4]!;
const valStart = (scan: RootScan, i: number): number => scan.objects[i * 4 + 2]!;
const objEnd = (scan: RootScan, i: number): number => scan.objects[i * 4 + 3]!;

/** Point of Initiation (01) as '11', '12' or null when absent; anything else is refused. */
function pointOfInitiation(scan: RootScan, l: Layout): '11' | '12' | null {
  if (l.i01 < 0) return null;
  const s = scan.payload;
  const v0 = valStart(scan, l.i01);
  if (objEnd(scan, l.i01) - v0 === 2 && s.charCodeAt(v0) === 0x31) {
    const c = s.charCodeAt(v0 + 1);
    if (c === 0x31) return '11';
    if (c === 0x32) return '12';
  }
  const v = s.slice(v0, objEnd(scan, l.i01));
  throw fail(scan, new QrisError('BAD_POINT_OF_INITIATION', `The Point of Initiation Method (ID 01) is ${JSON.stringify(v)}; it must be 11 (static) or 12 (dynamic).`, {
    offset: scan.start + objStart(scan, l.i01),
    tag: '01',
  }));
}

/**
 * Converts a static QRIS (or any EMVCo MPM payload) to a dynamic one for an amount:
 * 01 becomes `12`, 54 is put in its place (after 53), optional fee and Additional Data fields are
 * set, and the CRC is recomputed. Every other character stays as it was, in order.
 */
export function toDynamic(payload: string, options: ToDynamicOptions): string {
  const amount = amountText(options);
  const feeText = feeTextOf(options);
  const extras = additionalDataEdits(options);
  const scan = scanRoot(payload);
  if (feeText === '' && extras === null) {
    const fast = staticToDynamicFast(scan, amount);
    if (fast !== null) return fast;
  }
  const l = layout(scan);
  const poi = pointOfInitiation(scan, l);
  if (poi === '12' && options.replaceAmount !== true) {
    throw fail(scan, new QrisError('ALREADY_DYNAMIC', 'The payload is already dynamic (ID 01 = 12); pass replaceAmount: true to change its amount.', {
      offset: scan.start + objStart(scan, l.i01),
      tag: '01',
    }));
  }
  if (l.i54 >= 0 && options.replaceAmount !== true) {
    throw fail(scan, new QrisError('ALREADY_DYNAMIC', 'The payload already carries an amount (ID 54); pass replaceAmount: true to replace it.', {
      offset: scan.start + objStart(scan, l.i54),
      tag: '54',
    }));
  }

  const edits: Edit[] = [];
  if (poi === '11') edits.push({ start: valStart(scan, l.i01), end: objEnd(scan, l.i01), text: '12' });
  else if (poi === null) edits.push({ start: objEnd(scan, l.i00), end: objEnd(scan, l.i00), text: '010212' });

  // 54, followed by a new 55/56/57 when the merchant had no 55 of their own.
  const amountObj = '54' + TWO_DIGITS[amount.length]! + amount;
  const trailingFee = feeText !== '' && l.i55 < 0 ? feeText : '';
  if (l.i54 >= 0) edits.push({ start: objStart(scan, l.i54), end: objEnd(scan, l.i54), text: amountObj + trailingFee });
  else {
    const at = l.i53 >= 0 ? objEnd(scan, l.i53) : objStart(scan, firstAbove(scan, 54));
    edits.push({ start: at, end: at, text: amountObj + trailingFee });
  }
  if (feeText !== '') {
    if (l.i55 >= 0) edits.push({ start: objStart(scan, l.i55), end: objEnd(scan, l.i55), text: feeText });
    if (l.i56 >= 0) edits.push({ start: objStart(scan, l.i56), end: objEnd(scan, l.i56), text: '' });
    if (l.i57 >= 0) edits.push({ start: objStart(scan, l.i57), end: objEnd(scan, l.i57), text: '' });
  }
  if (extras !== null) edits.push(additionalDataEdit(scan, l, extras));
  return applyEdits(scan, edits);
}

/** The amount for 54; also refuses a missing options object (the first thing toDynamic reads). */
function amountText(options: ToDynamicOptions): string {
  if (options === null || typeof options !== 'object') throw new QrisError('BAD_OPTION', 'toDynamic() needs an options object with an amount.');
  return formatAmount(options.amount, options);
}

/** 55 (+ 56 / 57) for the fee option, or '' without one. */
function feeTextOf(options: ToDynamicOptions): string {
  return options.fee === undefined ? '' : feeObjects(options.fee, options.decimals);
}

/**
 * Throws what `toDynamic` throws for these options whatever the payload (BAD_AMOUNT, BAD_FEE,
 * BAD_FIELD, BAD_OPTION): checks an amount, fee or label before there is a code to convert, e.g.
 * once before a batch, or before an image is decoded or uploaded.
 */
export function checkToDynamicOptions(options: ToDynamicOptions): void {
  amountText(options);
  feeTextOf(options);
  additionalDataEdits(options);
}

/** CRC difference between writing `11` and `12` from the same state: what the 01 edit adds. */
const POI_11_TO_12 = crcUpdateAscii(0, '11') ^ crcUpdateAscii(0, '12');

/**
 * The everyday conversion, kept free of layout objects and edit lists: an ASCII payload with
 * 01 = `11`, a 53 and no 54, getting only an amount. It writes exactly what the general path writes
 * (01 -> `12`, 54 right after 53), or returns null to leave any other input to the general path.
 */
function staticToDynamicFast(scan: RootScan, amount: string): string | null {
  const i01 = rootIndexOf(scan, 1);
  const i53 = rootIndexOf(scan, 53);
  if (!scan.ascii || i01 < 0 || i53 < 0 || rootIndexOf(scan, 54) >= 0) return null;
  const s = scan.payload;
  const a = valStart(scan, i01);
  if (objEnd(scan, i01) - a !== 2 || s.charCodeAt(a) !== 0x31 || s.charCodeAt(a + 1) !== 0x31) return null;
  const b = objEnd(scan, i53);
  if (b < a) return null; // 53 written before 01: unusual enough for the general path

  const amountObj = '54' + TWO_DIGITS[amount.length]! + amount;
  const crcStart = s.length - 4;
  if (s.length + amountObj.length > MAX_PAYLOAD_LENGTH) return null; // the general path reports it
  const bytes = scratchBytes();
  MARKS[0] = b;
  const fin = crcUpdateMarked(CRC_INIT, bytes, crcStart, MARKS, 1, STATES);
  if (fin !== scan.declared) throw crcMismatch(scan, fin);
  const sIn = crcUpdate(STATES[0]!, bytes, markBlock(b), b);
  const sOut = crcUpdateAscii(sIn ^ crcShift(POI_11_TO_12, b - a - 2), amountObj);
  const crc = fin ^ crcShift(sOut ^ sIn, crcStart - b);
  return s.slice(0, a) + '12' + s.slice(a + 2, b) + amountObj + s.slice(b, crcStart) + formatCrc(crc);
}

/**
 * Converts a dynamic payload back to static: 01 becomes `11`, 54 is removed (and 55/56/57 with
 * `removeFees`), the CRC is recomputed. Everything else stays as it was.
 */
export function toStatic(payload: string, options: ToStaticOptions = {}): string {
  if (options === null || typeof options !== 'object') throw new QrisError('BAD_OPTION', 'toStatic() options must be an object such as { removeFees: true }.');
  const scan = scanRoot(payload);
  const l = layout(scan);
  const poi = pointOfInitiation(scan, l);
  if (poi !== '12' && l.i54 < 0) {
    throw fail(scan, new QrisError('ALREADY_STATIC', 'The payload is already static (ID 01 is not 12 and there is no amount).', l.i01 >= 0 ? { offset: scan.start + objStart(scan, l.i01), tag: '01' } : { tag: '01' }));
  }
  const edits: Edit[] = [];
  if (poi === '12') edits.push({ start: valStart(scan, l.i01), end: objEnd(scan, l.i01), text: '11' });
  else if (poi === null) edits.push({ start: objEnd(scan, l.i00), end: objEnd(scan, l.i00), text: '010211' });
  const drop = [l.i54];
  if (options.removeFees === true) drop.push(l.i55, l.i56, l.i57);
  for (const i of drop) if (i >= 0) edits.push({ start: objStart(scan, i), end: objEnd(scan, i), text: '' });
  return applyEdits(scan, edits);
}

/** The 55 (+ 56 or 57) objects for a fee option. */
function feeObjects(fee: FeeOption, decimals: 0 | 2 | undefined): string {
  if (fee === null || typeof fee !== 'object') throw new QrisError('BAD_FEE', 'fee must be { type: "prompt" | "fixed" | "percent", value? }.', { tag: '55' });
  switch (fee.type) {
    case 'prompt':
      return '5502' + TIP_INDICATOR.prompt;
    case 'fixed': {
      const v = formatAmount(fee.value, decimals === undefined ? {} : { decimals }, 'fixed fee', 'BAD_FEE', '56');
      return '5502' + TIP_INDICATOR.fixed + '56' + TWO_DIGITS[v.length]! + v;
    }
    case 'percent': {
      const v = formatPercent(fee.value);
      return '5502' + TIP_INDICATOR.percent + '57' + TWO_DIGITS[v.length]! + v;
    }
    default:
      throw new QrisError('BAD_FEE', `Unknown fee type ${describeValue((fee as { type: unknown }).type)}; use "prompt", "fixed" or "percent".`, { tag: '55' });
  }
}

/** Checked Additional Data values keyed by sub-ID, in sub-ID order, or null when none is set. */
function additionalDataEdits(options: AdditionalDataEdits): [string, string][] | null {
  if (options.billNumber === undefined && options.referenceLabel === undefined && options.terminalLabel === undefined) return null;
  let out: [string, string][] | null = null;
  for (const key of ['billNumber', 'referenceLabel', 'terminalLabel'] as const) {
    const v = options[key];
    if (v === undefined) continue;
    const id = ADDITIONAL_DATA_ID[key];
    if (typeof v !== 'string' || v.length === 0 || v.length > ADDITIONAL_DATA_MAX || !isPrintableAscii(v)) {
      throw new QrisError('BAD_FIELD', `${key} (62/${id}) must be 1 to ${ADDITIONAL_DATA_MAX} printable ASCII characters; got ${describeValue(v)}.`, { tag: '62/' + id });
    }
    (out ??= []).push([id, v]);
  }
  return out;
}

function isPrintableAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** Sets sub-objects of 62 in place (existing ones keep their position), or adds a new 62. */
function additionalDataEdit(scan: RootScan, l: Layout, extras: [string, string][]): Edit {
  const s = scan.payload;
  let value = '';
  if (l.i62 >= 0) {
    const vStart = valStart(scan, l.i62);
    let scanned: ReturnType<typeof scanTemplate>;
    try {
      scanned = scanTemplate(scan, vStart, objEnd(scan, l.i62), '62');
    } catch (err) {
      throw err instanceof QrisError ? fail(scan, err) : err; // a broken CRC is reported first
    }
    const { objects: c, count } = scanned;
    const pending = new Map(extras);
    for (let i = 0; i < count; i++) {
      const id = TWO_DIGITS[c[i * 4 + 1]!]!;
      const replacement = pending.get(id);
      if (replacement === undefined) value += s.slice(c[i * 4]!, c[i * 4 + 3]!);
      else {
        value += id + TWO_DIGITS[replacement.length]! + replacement;
        pending.delete(id);
      }
    }
    for (const [id, v] of pending) value += id + TWO_DIGITS[v.length]! + v;
  } else {
    for (const [id, v] of extras) value += id + TWO_DIGITS[v.length]! + v;
  }
  const len = codePointLength(value);
  if (len > 99) {
    throw fail(scan, new QrisError('VALUE_TOO_LONG', `The Additional Data Field (62) would be ${len} characters long; the length field allows at most 99.`, { tag: '62' }));
  }
  const obj = '62' + TWO_DIGITS[len]! + value;
  if (l.i62 >= 0) return { start: objStart(scan, l.i62), end: objEnd(scan, l.i62), text: obj };
  const at = objStart(scan, firstAbove(scan, 62));
  return { start: at, end: at, text: obj };
}

/**
 * Applies edits (pushed in positional order for equal starts) and writes the new CRC, verifying the
 * input CRC on the way. ASCII payloads take the linear-CRC path; others re-encode the output.
 */
function applyEdits(scan: RootScan, edits: Edit[]): string {
  if (!isSorted(edits)) edits.sort((a, b) => a.start - b.start); // stable: inserts at one position keep their order
  const s = scan.payload;
  const crcStart = s.length - 4;
  let out = '';
  let pos = 0;
  let crc: number;
  if (scan.ascii) {
    // One pass over the input verifies its CRC and records its states where the length changes.
    // `d` is the XOR of the output's and the input's CRC states at input position `pos`: an
    // unchanged span shifts it, an edit of the same length adds the CRC difference of its two texts,
    // and an edit that changes the length restarts it from the input's state at the edit.
    const bytes = scratchBytes();
    let marks = 0;
    for (const e of edits) if (e.end - e.start !== e.text.length) MARKS[marks++] = e.start;
    const fin = crcUpdateMarked(CRC_INIT, bytes, crcStart, MARKS, marks, STATES);
    if (fin !== scan.declared) throw crcMismatch(scan, fin);
    let d = 0;
    let k = 0;
    for (const e of edits) {
      if (e.end - e.start === e.text.length) {
        d = crcShift(d, e.end - pos) ^ crcUpdate(0, bytes, e.start, e.end) ^ crcUpdateAscii(0, e.text);
      } else {
        const block = markBlock(e.start);
        const sIn = crcUpdate(STATES[k++]!, bytes, block, e.start);
        const sOut = crcUpdateAscii(sIn ^ crcShift(d, e.start - pos), e.text);
        d = sOut ^ crcUpdate(sIn, bytes, e.start, e.end);
      }
      out += s.slice(pos, e.start) + e.text;
      pos = e.end;
    }
    crc = fin ^ crcShift(d, crcStart - pos);
    out += s.slice(pos, crcStart);
  } else {
    const computed = crcUpdate(CRC_INIT, scratchBytes(), 0, scan.crcIndex);
    if (computed !== scan.declared) throw crcMismatch(scan, computed);
    for (const e of edits) {
      out += s.slice(pos, e.start) + e.text;
      pos = e.end;
    }
    out += s.slice(pos, crcStart);
    crc = crcUpdate(CRC_INIT, scratchBytes(), 0, encodeToScratch(out));
  }
  if (out.length + 4 > MAX_PAYLOAD_LENGTH && codePointLength(out) + 4 > MAX_PAYLOAD_LENGTH) {
    throw new QrisError('OUTPUT_TOO_LONG', `The converted payload would have ${codePointLength(out) + 4} characters; QRIS recommends at most ${MAX_PAYLOAD_LENGTH} and scanners may refuse more.`);
  }
  return out + formatCrc(crc);
}

/** Input positions where an edit changes the length, and the input's CRC states recorded there. */
const MARKS = new Int32Array(16);
const STATES = new Int32Array(16);

function isSorted(edits: readonly Edit[]): boolean {
  for (let i = 1; i < edits.length; i++) if (edits[i]!.start < edits[i - 1]!.start) return false;
  return true;
}

/** A broken input must be reported as broken before anything else: check its CRC first. */
function fail(scan: RootScan, err: QrisError): QrisError {
  const computed = crcUpdate(CRC_INIT, scratchBytes(), 0, scan.crcIndex);
  return computed === scan.declared ? err : crcMismatch(scan, computed);
}
