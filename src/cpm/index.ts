/**
 * 'qris-codec/cpm': consumer-presented QRIS / EMVCo CPM codes (the payer's app shows the code, the
 * merchant's scanner reads it). BER-TLV in base64, per EMV QRCPS Consumer-Presented Mode v1.0.
 * Zero dependencies, no Node built-ins: the same in Node, browsers and edge runtimes.
 */
export { parseCpm, looksLikeCpm, CPM_PREFIX, MAX_CPM_TEXT, MAX_CPM_BYTES } from './parse.js';
export type { ParsedCpm, CpmNode } from './parse.js';
export { validateCpm } from './validate.js';
export type { CpmIssue, CpmIssueCode, CpmValidationResult, ValidateCpmOptions } from './validate.js';
export { cpmInfo } from './info.js';
export type { CpmApplication, CpmInfo, CpmInfoOptions, CpmQrisData } from './info.js';
export { buildCpm } from './build.js';
export type { BuildCpmOptions, CpmObjectInput } from './build.js';
export { CPM_RULES, CPM_VALIDATION_CODES, QRIS_CPM_AID } from './rules.js';
export type { CpmCheckKind, CpmFormat, CpmProfile, CpmRule, CpmRuleSpec, CpmValidationCode } from './rules.js';
export { toHex, MAX_DEPTH } from './ber.js';
export { readTrack2 } from './values.js';
export type { Track2 } from './values.js';
export { QrisError, isQrisError } from '../errors.js';
export type { QrisErrorCode } from '../errors.js';
