// 'qris-codec': the core entry. Re-exports only; no I/O and no dependencies, so it runs in Node,
// browsers and edge runtimes alike.
export { QrisError, isQrisError, ERROR_CODES } from './errors.js';
export type { IssueCode, QrisErrorCode, QrisErrorDetails, QrisIssue } from './errors.js';
export { crc16, crc16Hex, formatCrc } from './crc16.js';
export { parse, safeParse, serialize, codePointLength, MAX_NESTING } from './tlv.js';
export type { TlvNode, TlvInput, ParsedQris, ParseOptions, ParseWarningCode, CrcCheck, SafeParseResult } from './tlv.js';
export { isTemplate, MAX_INPUT_LENGTH, MAX_PAYLOAD_LENGTH } from './spec.js';
export { RULES } from './rules.js';
export type { RuleSpec, Strength } from './rules.js';
export { checkToDynamicOptions, toDynamic, toStatic } from './convert.js';
export type { ToDynamicOptions, ToStaticOptions, FeeOption, AdditionalDataEdits } from './convert.js';
export { formatAmount } from './amount.js';
export type { AmountFormat, FormatAmountOptions } from './amount.js';
export { info } from './info.js';
export type { QrisInfo, Amount, Tip, MerchantAccount, NationalTemplate, AdditionalData, LanguageTemplate } from './info.js';
export { validate, VALIDATION_CODES } from './validate.js';
export type { ValidationResult, ValidationCode, ValidateOptions, Profile } from './validate.js';
export { findAcquirer, acquirerByGuid, acquirerByPan } from './acquirers.js';
export { build } from './build.js';
export type { BuildFields, BuildAccount } from './build.js';
