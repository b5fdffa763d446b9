/**
 * The lossless EMVCo TLV codec, in three modules with one job each:
 * - scan.ts: where each data object starts and ends (into a `ScanContext`, scan-context.ts);
 * - parse.ts: the tree with offsets built from a scan (`parse`, `safeParse`);
 * - serialize.ts: a tree back to a payload with fresh lengths and CRC (`serialize`).
 * This module only re-exports them, for code that imports the codec as one piece.
 */
export { codePointLength, trimBounds, TWO_DIGITS } from './scan.js';
export { parse, parseWith, safeParse, toParsed } from './parse.js';
export type { CrcCheck, ParsedQris, ParseOptions, ParseWarningCode, SafeParseResult, TlvNode } from './parse.js';
export { MAX_NESTING, serialize } from './serialize.js';
export type { TlvInput } from './serialize.js';
