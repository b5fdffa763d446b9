/**
 * parse(): an EMVCo MPM payload to an ordered tree with offsets, keeping every byte, so
 * `serialize(parse(x)) === x` for every well-formed payload. Nothing is re-sorted, re-cased or
 * dropped. The scan (scan.ts) finds the objects; this module builds the nodes from its offsets.
 */
import { CRC_INIT, crcUpdate, formatCrc } from './crc16.js';
import { callerThrew, describeValue, QrisError, type Issue } from '../errors.js';
import { ScanContext } from './scan-context.js';
import { codePointLength, crcMismatch, scanLevel, scanRoot, TWO_DIGITS } from './scan.js';
import { isTemplate } from './structure.js';

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

/** Codes of the non-fatal findings `parse` reports in `warnings`. */
export type ParseWarningCode = 'TEMPLATE_NOT_TLV' | 'CRC_LOWERCASE';

export interface ParsedQris {
  /** The payload without surrounding whitespace. */
  readonly payload: string;
  /** Where `payload` starts in the input as given (non-zero only when whitespace was skipped). */
  readonly start: number;
  /** Root data objects, in the order written. */
  readonly nodes: readonly TlvNode[];
  readonly crc: CrcCheck;
  /** Non-fatal findings: templates kept raw (`TEMPLATE_NOT_TLV`), lowercase CRC (`CRC_LOWERCASE`). */
  readonly warnings: readonly Issue<ParseWarningCode>[];
}

export interface ParseOptions {
  /**
   * Throw `CRC_MISMATCH` when the declared CRC is wrong. With `false` the result reports it in
   * `crc.valid` instead (the structure must still be sound).
   * @default true
   */
  readonly verifyCrc?: boolean | undefined;
}

export type SafeParseResult = { readonly ok: true; readonly value: ParsedQris } | { readonly ok: false; readonly error: QrisError };

/** The context `parse` scans into: this module's own, lent to nobody. */
const CTX = /* @__PURE__ */ new ScanContext();

/**
 * Parses an EMVCo MPM payload into an ordered tree with offsets, keeping every byte.
 * Throws `QrisError` for anything malformed; see `safeParse` for a non-throwing form.
 */
export function parse(input: string, options?: ParseOptions): ParsedQris {
  return parseWith(CTX, input, options);
}

/** `parse` scanning into a context the caller owns (tests pass an instrumented one). */
export function parseWith(ctx: ScanContext, input: string, options?: ParseOptions): ParsedQris {
  const verifyCrc = options === undefined || readVerifyCrc(options);
  scanRoot(ctx, input);
  const computed = crcUpdate(CRC_INIT, ctx.bytes, 0, ctx.crcIndex);
  if (computed !== ctx.declared && verifyCrc) throw crcMismatch(ctx, computed);
  const { payload, start, ascii, count } = ctx;
  const objects = ctx.objects[0];
  const warnings: Issue<ParseWarningCode>[] = [];
  const nodes = new Array<TlvNode>(count);
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
      const children = parseTemplate(ctx, vStart, vEnd, 1, idStr, warnings);
      nodes[i] = children ? { id: idStr, length, value, offset, children } : { id: idStr, length, value, offset };
    } else {
      nodes[i] = { id: idStr, length, value, offset };
    }
  }
  const crcValueStart = payload.length - 4;
  const declared = payload.slice(crcValueStart);
  if (hasLowercase(declared)) {
    warnings.push({
      severity: 'warning',
      code: 'CRC_LOWERCASE',
      message: 'The CRC is written in lowercase; EMVCo output uses uppercase hex.',
      offset: start + crcValueStart,
      tag: '63',
    });
  }
  return { payload, start, nodes, crc: { declared, computed: formatCrc(computed), valid: computed === ctx.declared }, warnings };
}

/** `options.verifyCrc`, read once; BAD_OPTION for options that are not an object or a flag that is not a boolean. */
function readVerifyCrc(options: ParseOptions): boolean {
  if (options === null || typeof options !== 'object')
    throw new QrisError('BAD_OPTION', `parse() options must be an object such as { verifyCrc: false }; got ${describeValue(options)}.`);
  let v: unknown;
  try {
    v = options.verifyCrc;
  } catch (e) {
    throw callerThrew('BAD_OPTION', 'the parse() options', e);
  }
  if (v === undefined || v === true) return true;
  if (v === false) return false;
  throw new QrisError('BAD_OPTION', `verifyCrc must be true or false; got ${describeValue(v)}.`);
}

/** Children of the template at ctx.payload[vStart, vEnd), scanned into level `depth`; undefined when not TLV. */
function parseTemplate(ctx: ScanContext, vStart: number, vEnd: number, depth: 1 | 2, path: string, warnings: Issue<ParseWarningCode>[]): TlvNode[] | undefined {
  let count: number;
  try {
    count = scanLevel(ctx, depth, vStart, vEnd, path);
  } catch (e) {
    const err = e as QrisError;
    warnings.push({
      severity: 'warning',
      code: 'TEMPLATE_NOT_TLV',
      message: `Template ${path} does not hold data objects (${err.message}); its value is kept as written.`,
      offset: err.offset ?? ctx.start + vStart,
      tag: path,
    });
    return undefined;
  }
  const s = ctx.payload;
  const base = ctx.start;
  const ascii = ctx.ascii;
  const out = ctx.objects[depth];
  const nodes = new Array<TlvNode>(count);
  for (let i = 0; i < count; i++) {
    const k = i * 4;
    const id = out[k + 1]!;
    const cStart = out[k + 2]!;
    const cEnd = out[k + 3]!;
    const idStr = TWO_DIGITS[id]!;
    const value = s.slice(cStart, cEnd);
    const offset = base + out[k]!;
    const length = ascii ? cEnd - cStart : codePointLength(value);
    if (depth === 1 && isTemplate(path, id)) {
      // Only 62's sub-IDs 50-99 nest a further level; the level-2 slots are free here.
      const children = parseTemplate(ctx, cStart, cEnd, 2, path + '/' + idStr, warnings);
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

/** `parse` without throwing: `{ ok: true, value }` or `{ ok: false, error }`. */
export function safeParse(input: string, options?: ParseOptions): SafeParseResult {
  try {
    return { ok: true, value: parse(input, options) };
  } catch (e) {
    if (e instanceof QrisError) return { ok: false, error: e };
    throw e; // a bug, not bad input: let it surface
  }
}

/**
 * The parse result behind an `info` / `validate` input: a payload string is parsed (a wrong CRC is
 * reported, not thrown); a `parse()` result is used as is. Anything else is refused with a
 * `QrisError` (NOT_A_STRING) rather than failing somewhere inside with a TypeError.
 */
export function toParsed(input: unknown): ParsedQris {
  if (typeof input === 'string' || typeof input !== 'object' || input === null) return parse(input as string, { verifyCrc: false });
  let ok: boolean;
  try {
    ok = isParsedShape(input);
  } catch (e) {
    throw callerThrew('NOT_A_STRING', 'the parse result', e);
  }
  if (!ok) throw new QrisError('NOT_A_STRING', 'Expected a payload string or the result of parse(); got an object of another shape.');
  return input as ParsedQris;
}

function isParsedShape(x: object): boolean {
  const p = x as Partial<Record<keyof ParsedQris, unknown>>;
  const crc = p.crc as Partial<Record<keyof CrcCheck, unknown>> | null | undefined;
  return (
    typeof p.payload === 'string' &&
    Array.isArray(p.warnings) &&
    typeof crc === 'object' &&
    crc !== null &&
    typeof crc.valid === 'boolean' &&
    isCrcText(crc.declared) &&
    isCrcText(crc.computed) &&
    Array.isArray(p.nodes) &&
    p.nodes.every((n) => isNodeShape(n, 0))
  );
}

/** The declared / computed CRC of a parse result: four characters. */
function isCrcText(x: unknown): boolean {
  return typeof x === 'string' && x.length === 4;
}

/** A parse result nests at most root > template > 62's 50-99 templates: deeper (or cyclic) is no parse result. */
function isNodeShape(n: unknown, depth: number): boolean {
  if (typeof n !== 'object' || n === null) return false;
  const t = n as Partial<Record<keyof TlvNode, unknown>>;
  // IDs are two characters and values fit a length field: a hand-made "parse result" cannot carry a
  // huge string into info / validate messages.
  if (typeof t.id !== 'string' || t.id.length !== 2 || typeof t.value !== 'string' || t.value.length > 198 || typeof t.offset !== 'number') return false;
  if (t.children === undefined) return true;
  return depth < 2 && Array.isArray(t.children) && t.children.every((c) => isNodeShape(c, depth + 1));
}
