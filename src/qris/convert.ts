/**
 * Static <-> dynamic conversion as a handful of edits on the original text.
 *
 * One root scan finds where each data object sits; the conversion is a short list of
 * (start, end, replacement) edits; every other character is copied from the input unchanged and in
 * order. One pass over the input's bytes verifies its CRC and records the states where an edit
 * changes the length; because CRC is linear the output CRC follows from those states without a
 * second pass over the bytes (crc-splice.ts). The scan, its bytes and those states all live in this
 * module's own `ScanContext`, passed to every helper.
 */
import { formatAmountAs, type AmountFormat } from './amount.js';
import { CRC_INIT, crc16, crcShift, crcUpdate, crcUpdateAscii, formatCrc } from '../codec/crc16.js';
import { callerThrew, describeValue, QrisError, quote } from '../errors.js';
import { encodeFee, type FeeOption } from './fee.js';
import { ScanContext } from '../codec/scan-context.js';
import { codePointLength, crcMismatch, scanRoot, scanTemplate, TWO_DIGITS } from '../codec/scan.js';
import { ADDITIONAL_DATA_ID, ADDITIONAL_DATA_MAX, MAX_PAYLOAD_LENGTH } from './spec.js';
import { firstLoneSurrogate } from '../codec/text.js';
import { kindOf, type CodeKind } from './kinds.js';

export type { FeeOption } from './fee.js';

/** The context the conversions scan into: this module's own, lent to nobody. */
const CTX = /* @__PURE__ */ new ScanContext();

/** Additional Data (62) fields the converter can set; each at most 25 characters. */
export interface AdditionalDataEdits {
  /** 62/01 Bill Number (`***` asks the payer). */
  readonly billNumber?: string | undefined;
  /** 62/05 Reference Label. */
  readonly referenceLabel?: string | undefined;
  /** 62/07 Terminal Label. */
  readonly terminalLabel?: string | undefined;
}

export interface ToDynamicOptions extends AmountFormat, AdditionalDataEdits {
  /** The amount: a positive number or decimal string (e.g. `25000` or `"25000.50"` with `decimals: 2`). */
  readonly amount: number | string;
  /** Adds a tip or convenience fee, replacing the merchant's own 55/56/57 if present. */
  readonly fee?: FeeOption | undefined;
  /** Accept an input that already has an amount (dynamic, or static with 54) and replace 54 in place. @default false */
  readonly replaceAmount?: boolean | undefined;
}

export interface ToStaticOptions {
  /** Also remove the tip / convenience fee (55, 56, 57). @default false */
  readonly removeFees?: boolean | undefined;
}

/** Replace ctx.payload[start, end) by `text`. */
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

function layout(ctx: ScanContext): Layout {
  return {
    i00: ctx.rootIndexOf(0),
    i01: ctx.rootIndexOf(1),
    i53: ctx.rootIndexOf(53),
    i54: ctx.rootIndexOf(54),
    i55: ctx.rootIndexOf(55),
    i56: ctx.rootIndexOf(56),
    i57: ctx.rootIndexOf(57),
    i62: ctx.rootIndexOf(62),
  };
}

/** The first object, in written order, whose ID is above `id`: where a missing `id` goes. */
function firstAbove(ctx: ScanContext, id: number): number {
  const o = ctx.objects[0];
  for (let i = 0; i < ctx.count; i++) if (o[i * 4 + 1]! > id) return i;
  return -1;
}

const objStart = (ctx: ScanContext, i: number): number => ctx.objects[0][i * 4]!;
const valStart = (ctx: ScanContext, i: number): number => ctx.objects[0][i * 4 + 2]!;
const objEnd = (ctx: ScanContext, i: number): number => ctx.objects[0][i * 4 + 3]!;

/** Point of Initiation (01) as '11', '12' or null when absent; anything else is refused. */
function pointOfInitiation(ctx: ScanContext, l: Layout): '11' | '12' | null {
  if (l.i01 < 0) return null;
  const s = ctx.payload;
  const v0 = valStart(ctx, l.i01);
  if (objEnd(ctx, l.i01) - v0 === 2 && s.charCodeAt(v0) === 0x31) {
    const c = s.charCodeAt(v0 + 1);
    if (c === 0x31) return '11';
    if (c === 0x32) return '12';
  }
  const v = s.slice(v0, objEnd(ctx, l.i01));
  throw fail(
    ctx,
    new QrisError('BAD_POINT_OF_INITIATION', `The Point of Initiation Method (ID 01) is ${quote(v)}; it must be 11 (static) or 12 (dynamic).`, {
      offset: ctx.start + objStart(ctx, l.i01),
      tag: '01',
    }),
  );
}

/** toDynamic's options after one guarded read: checked values the conversion works from. */
interface DynamicRequest {
  /** The text for 54. */
  readonly amount: string;
  /** 55 (+ 56 / 57), or '' without a fee. */
  readonly feeText: string;
  /** Checked 62 edits, or null. */
  readonly extras: [string, string][] | null;
  readonly replaceAmount: boolean;
}

/**
 * Converts a static QRIS (or any EMVCo MPM payload) to a dynamic one for an amount:
 * 01 becomes `12`, 54 is put in its place (after 53), optional fee and Additional Data fields are
 * set, and the CRC is recomputed. Every other character stays as it was, in order.
 * An amountless transfer or cash code (already 01 = `12`) gets its 54 the same way, without
 * `replaceAmount`; a fee on a transfer code throws `TRANSFER_FEE`.
 * A 62 edit on a code whose 62 repeats a sub-ID throws `DUPLICATE_SUB_ID` (tag `62/<id>`, offset
 * of the second copy): editing one copy would leave the other for a payer's app to read.
 */
export function toDynamic(payload: string, options: ToDynamicOptions): string {
  const req = dynamicRequest(options);
  const ctx = CTX;
  scanRoot(ctx, payload);
  if (req.feeText === '' && req.extras === null) {
    const fast = staticToDynamicFast(ctx, req.amount);
    if (fast !== null) return fast;
  }
  const { amount, feeText, extras } = req;
  const l = layout(ctx);
  const poi = pointOfInitiation(ctx, l);
  // Transfer and cash codes are dynamic without 54 by design (the sender types the amount): giving
  // them one is an insert, not a replacement. Read only when it matters (fees, or 01 = 12).
  const kind = poi === '12' || feeText !== '' ? kindAt(ctx, l) : 'payment';
  if (feeText !== '' && kind === 'transfer') {
    throw fail(
      ctx,
      new QrisError('TRANSFER_FEE', 'This is a transfer code (root 40, 62/08 a transfer purpose): a transfer carries no tip or convenience fee (55-57).', {
        tag: '55',
      }),
    );
  }
  if (poi === '12' && !req.replaceAmount && !(kind !== 'payment' && l.i54 < 0)) {
    throw fail(
      ctx,
      new QrisError('ALREADY_DYNAMIC', 'The payload is already dynamic (ID 01 = 12); pass replaceAmount: true to change its amount.', {
        offset: ctx.start + objStart(ctx, l.i01),
        tag: '01',
      }),
    );
  }
  if (l.i54 >= 0 && !req.replaceAmount) {
    throw fail(
      ctx,
      new QrisError('ALREADY_DYNAMIC', 'The payload already carries an amount (ID 54); pass replaceAmount: true to replace it.', {
        offset: ctx.start + objStart(ctx, l.i54),
        tag: '54',
      }),
    );
  }

  const edits: Edit[] = [];
  if (poi === '11') edits.push({ start: valStart(ctx, l.i01), end: objEnd(ctx, l.i01), text: '12' });
  else if (poi === null) edits.push({ start: objEnd(ctx, l.i00), end: objEnd(ctx, l.i00), text: '010212' });

  // 54, followed by a new 55/56/57 when the merchant had no 55 of their own.
  const amountObj = '54' + TWO_DIGITS[amount.length]! + amount;
  const trailingFee = feeText !== '' && l.i55 < 0 ? feeText : '';
  if (l.i54 >= 0) edits.push({ start: objStart(ctx, l.i54), end: objEnd(ctx, l.i54), text: amountObj + trailingFee });
  else {
    const at = l.i53 >= 0 ? objEnd(ctx, l.i53) : objStart(ctx, firstAbove(ctx, 54));
    edits.push({ start: at, end: at, text: amountObj + trailingFee });
  }
  if (feeText !== '') {
    if (l.i55 >= 0) edits.push({ start: objStart(ctx, l.i55), end: objEnd(ctx, l.i55), text: feeText });
    if (l.i56 >= 0) edits.push({ start: objStart(ctx, l.i56), end: objEnd(ctx, l.i56), text: '' });
    if (l.i57 >= 0) edits.push({ start: objStart(ctx, l.i57), end: objEnd(ctx, l.i57), text: '' });
  }
  if (extras !== null) edits.push(additionalDataEdit(ctx, l, extras));
  return applyEdits(ctx, edits);
}

/** The code kind from root 40 and 62/08 (kinds.ts), scanning 62 into the context's template slot. */
function kindAt(ctx: ScanContext, l: Layout): CodeKind {
  let purpose: string | undefined;
  if (l.i62 >= 0) {
    let count: number;
    try {
      count = scanTemplate(ctx, valStart(ctx, l.i62), objEnd(ctx, l.i62), '62');
    } catch {
      count = 0; // 62 kept raw: no 62/08, a payment (as info and validate read it)
    }
    const c = ctx.objects[1];
    for (let i = 0; i < count; i++)
      if (c[i * 4 + 1] === 8) {
        purpose = ctx.payload.slice(c[i * 4 + 2], c[i * 4 + 3]);
        break;
      }
  }
  return kindOf(ctx.rootIndexOf(40) >= 0, purpose);
}

/**
 * Reads and checks toDynamic's options, each field once. An exception the options object itself
 * throws (revoked Proxy, throwing getter) becomes BAD_OPTION; the core's own refusals pass as they are.
 */
function dynamicRequest(options: ToDynamicOptions): DynamicRequest {
  if (options === null || typeof options !== 'object') throw new QrisError('BAD_OPTION', 'toDynamic() needs an options object with an amount.');
  try {
    const decimals = options.decimals;
    const amount = formatAmountAs(options.amount, options, 'amount', 'BAD_AMOUNT', '54');
    const fee = options.fee;
    return {
      amount,
      feeText: fee === undefined ? '' : feeText(fee, decimals),
      extras: additionalDataEdits(options),
      replaceAmount: flag(options.replaceAmount, 'replaceAmount'),
    };
  } catch (e) {
    throw callerThrew('BAD_OPTION', 'the toDynamic() options', e);
  }
}

/** A boolean option: absent is false; anything but a boolean is BAD_OPTION. */
function flag(value: unknown, name: string): boolean {
  if (value === undefined || value === false) return false;
  if (value === true) return true;
  throw new QrisError('BAD_OPTION', `${name} must be true or false; got ${describeValue(value)}.`);
}

/** 55 (+ 56 / 57) for a fee option, from the encoder build uses too. */
function feeText(fee: unknown, decimals: AmountFormat['decimals']): string {
  const f = encodeFee(fee, decimals);
  const head = '5502' + f.indicator;
  return f.valueId === undefined || f.value === undefined ? head : head + f.valueId + TWO_DIGITS[f.value.length]! + f.value;
}

/**
 * Throws what `toDynamic` throws for these options whatever the payload (BAD_AMOUNT, BAD_FEE,
 * BAD_FIELD, BAD_OPTION): checks an amount, fee or label before there is a code to convert, e.g.
 * once before a batch, or before an image is decoded or uploaded.
 */
export function checkToDynamicOptions(options: ToDynamicOptions): void {
  dynamicRequest(options);
}

/** "5400".."5499": the ID and length of a 54, flat strings made once. */
const HEADER_54: readonly string[] = /* @__PURE__ */ TWO_DIGITS.map((d) => '54' + d);

/** CRC difference between writing `11` and `12` from the same state: what the 01 edit adds. */
const POI_11_TO_12 = crcUpdateAscii(0, '11') ^ crcUpdateAscii(0, '12');

/**
 * The everyday conversion, kept free of layout objects and edit lists: an ASCII payload with
 * 01 = `11`, a 53 and no 54, getting only an amount. It writes exactly what the general path writes
 * (01 -> `12`, 54 right after 53), or returns null to leave any other input to the general path.
 */
function staticToDynamicFast(ctx: ScanContext, amount: string): string | null {
  const i01 = ctx.rootIndexOf(1);
  const i53 = ctx.rootIndexOf(53);
  if (!ctx.ascii || i01 < 0 || i53 < 0 || ctx.rootIndexOf(54) >= 0) return null;
  const s = ctx.payload;
  const a = valStart(ctx, i01);
  if (objEnd(ctx, i01) - a !== 2 || s.charCodeAt(a) !== 0x31 || s.charCodeAt(a + 1) !== 0x31) return null;
  const b = objEnd(ctx, i53);
  if (b < a) return null; // 53 written before 01: unusual enough for the general path

  const lengthHeader54 = HEADER_54[amount.length]!;
  const amountObj = lengthHeader54 + amount;
  const crcStart = s.length - 4;
  if (s.length + amountObj.length > MAX_PAYLOAD_LENGTH) return null; // the general path reports it
  const bytes = ctx.bytes;
  // One pass, split at the insert, verifies the input CRC and keeps the state there; CRC linearity
  // gives the rest (the 01 edit and the shifted tail), so the output is never hashed again.
  const sIn = crcUpdate(CRC_INIT, bytes, 0, b);
  const fin = crcUpdate(sIn, bytes, b, crcStart);
  if (fin !== ctx.declared) throw crcMismatch(ctx, fin);
  // Over the flat pieces: charCodeAt on the concatenated amountObj would flatten it first.
  const sOut = crcUpdateAscii(crcUpdateAscii(sIn ^ crcShift(POI_11_TO_12, b - a - 2), lengthHeader54), amount);
  const crc = fin ^ crcShift(sOut ^ sIn, crcStart - b);
  return s.slice(0, a) + '12' + s.slice(a + 2, b) + amountObj + s.slice(b, crcStart) + formatCrc(crc);
}

/**
 * Converts a dynamic payload back to static: 01 becomes `11`, 54 is removed (and 55/56/57 with
 * `removeFees`), the CRC is recomputed. Everything else stays as it was.
 */
export function toStatic(payload: string, options: ToStaticOptions = {}): string {
  if (options === null || typeof options !== 'object') throw new QrisError('BAD_OPTION', 'toStatic() options must be an object such as { removeFees: true }.');
  let removeFees: boolean;
  try {
    removeFees = flag(options.removeFees, 'removeFees');
  } catch (e) {
    throw callerThrew('BAD_OPTION', 'the toStatic() options', e);
  }
  const ctx = CTX;
  scanRoot(ctx, payload);
  const l = layout(ctx);
  const poi = pointOfInitiation(ctx, l);
  if (poi !== '12' && l.i54 < 0) {
    throw fail(
      ctx,
      new QrisError(
        'ALREADY_STATIC',
        'The payload is already static (ID 01 is not 12 and there is no amount).',
        l.i01 >= 0 ? { offset: ctx.start + objStart(ctx, l.i01), tag: '01' } : { tag: '01' },
      ),
    );
  }
  const edits: Edit[] = [];
  if (poi === '12') edits.push({ start: valStart(ctx, l.i01), end: objEnd(ctx, l.i01), text: '11' });
  else if (poi === null) edits.push({ start: objEnd(ctx, l.i00), end: objEnd(ctx, l.i00), text: '010211' });
  const drop = [l.i54];
  if (removeFees) drop.push(l.i55, l.i56, l.i57);
  for (const i of drop) if (i >= 0) edits.push({ start: objStart(ctx, i), end: objEnd(ctx, i), text: '' });
  return applyEdits(ctx, edits);
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
      throw new QrisError('BAD_FIELD', `${key} (62/${id}) must be 1 to ${ADDITIONAL_DATA_MAX} printable ASCII characters; got ${describeValue(v)}.`, {
        tag: '62/' + id,
      });
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
function additionalDataEdit(ctx: ScanContext, l: Layout, extras: [string, string][]): Edit {
  const s = ctx.payload;
  let value = '';
  if (l.i62 >= 0) {
    const vStart = valStart(ctx, l.i62);
    let count: number;
    try {
      count = scanTemplate(ctx, vStart, objEnd(ctx, l.i62), '62');
    } catch (err) {
      throw err instanceof QrisError ? fail(ctx, err) : err; // a broken CRC is reported first
    }
    const c = ctx.objects[1];
    // A repeated sub-ID is ambiguous (which copy a payer's app reads is undefined): editing one copy
    // would leave the other, so the whole edit is refused before anything is written.
    const again = firstRepeat(c, count);
    if (again >= 0) {
      const id = TWO_DIGITS[c[again * 4 + 1]!]!;
      throw fail(
        ctx,
        new QrisError('DUPLICATE_SUB_ID', `Sub-ID ${id} appears more than once in the Additional Data Field (62); it is not edited.`, {
          offset: ctx.start + c[again * 4]!,
          tag: '62/' + id,
        }),
      );
    }
    const pending = new Map(extras);
    for (let i = 0; i < count; i++) {
      const id = TWO_DIGITS[c[i * 4 + 1]!]!;
      const replacement = pending.get(id);
      if (replacement === undefined) value += s.slice(c[i * 4], c[i * 4 + 3]);
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
    throw fail(
      ctx,
      new QrisError('VALUE_TOO_LONG', `The Additional Data Field (62) would be ${len} characters long; the length field allows at most 99.`, { tag: '62' }),
    );
  }
  const obj = '62' + TWO_DIGITS[len]! + value;
  if (l.i62 >= 0) return { start: objStart(ctx, l.i62), end: objEnd(ctx, l.i62), text: obj };
  const at = objStart(ctx, firstAbove(ctx, 62));
  return { start: at, end: at, text: obj };
}

/** Index of the first object of a template scan (`objects[1]`) whose ID repeats an earlier one, or -1. */
function firstRepeat(c: Int32Array, count: number): number {
  // A template holds at most 24 objects (99 characters): the quadratic loop allocates nothing.
  for (let i = 1; i < count; i++) {
    const id = c[i * 4 + 1];
    for (let j = 0; j < i; j++) if (c[j * 4 + 1] === id) return i;
  }
  return -1;
}

/**
 * Applies edits (pushed in positional order for equal starts) and writes the new CRC, verifying the
 * input CRC on the way. ASCII payloads take the CRC splice (crc-splice.ts); others re-encode the output.
 */
function applyEdits(ctx: ScanContext, edits: Edit[]): string {
  if (!isSorted(edits)) edits.sort((a, b) => a.start - b.start); // stable: inserts at one position keep their order
  const s = ctx.payload;
  const crcStart = s.length - 4;
  let out = '';
  let pos = 0;
  let crc: number;
  if (ctx.ascii) {
    const { bytes, splice } = ctx;
    const fin = splice.inputCrc(CRC_INIT, bytes, crcStart, edits);
    if (fin !== ctx.declared) throw crcMismatch(ctx, fin);
    crc = splice.outputCrc(bytes, crcStart, fin, edits);
    for (const e of edits) {
      out += s.slice(pos, e.start) + e.text;
      pos = e.end;
    }
    out += s.slice(pos, crcStart);
  } else {
    const computed = crcUpdate(CRC_INIT, ctx.bytes, 0, ctx.crcIndex);
    if (computed !== ctx.declared) throw crcMismatch(ctx, computed);
    refuseLoneSurrogate(ctx);
    for (const e of edits) {
      out += s.slice(pos, e.start) + e.text;
      pos = e.end;
    }
    out += s.slice(pos, crcStart);
    crc = crc16(out);
  }
  if (out.length + 4 > MAX_PAYLOAD_LENGTH && codePointLength(out) + 4 > MAX_PAYLOAD_LENGTH) {
    throw new QrisError(
      'OUTPUT_TOO_LONG',
      `The converted payload would have ${codePointLength(out) + 4} characters; QRIS recommends at most ${MAX_PAYLOAD_LENGTH} and scanners may refuse more.`,
    );
  }
  return out + formatCrc(crc);
}

/**
 * An unpaired surrogate has no UTF-8 form: the input's CRC was computed over U+FFFD in its place,
 * and no QR code can carry the text. Refused (BAD_FIELD, the object holding it) rather than copied.
 * Only non-ASCII text can hold one, so the ASCII paths never pay for this scan.
 */
function refuseLoneSurrogate(ctx: ScanContext): void {
  const at = firstLoneSurrogate(ctx.payload);
  if (at < 0) return;
  const o = ctx.objects[0];
  let tag = '';
  for (let i = 0; i < ctx.count; i++) if (o[i * 4]! <= at && at < o[i * 4 + 3]!) tag = TWO_DIGITS[o[i * 4 + 1]!]!;
  throw new QrisError(
    'BAD_FIELD',
    `The payload holds an unpaired UTF-16 surrogate: it has no UTF-8 form, so no QR code can carry it.`,
    tag ? { offset: ctx.start + at, tag } : { offset: ctx.start + at },
  );
}

function isSorted(edits: readonly Edit[]): boolean {
  for (let i = 1; i < edits.length; i++) if (edits[i]!.start < edits[i - 1]!.start) return false;
  return true;
}

/** A broken input must be reported as broken before anything else: check its CRC first. */
function fail(ctx: ScanContext, err: QrisError): QrisError {
  const computed = crcUpdate(CRC_INIT, ctx.bytes, 0, ctx.crcIndex);
  return computed === ctx.declared ? err : crcMismatch(ctx, computed);
}
