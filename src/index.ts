// 'qris-codec': the core entry. Re-exports only; no I/O and no dependencies, so it runs in Node,
// browsers and edge runtimes alike.
export { QrisError, isQrisError, ERROR_CODES } from './errors.js';
export type { QrisErrorCode, QrisErrorDetails } from './errors.js';
export { crc16, crc16Hex, formatCrc } from './codec/crc16.js';
export { parse, safeParse, serialize, codePointLength, MAX_NESTING } from './codec/tlv.js';
export type { TlvNode, TlvInput, ParsedQris, ParseOptions, ParseWarningCode, CrcCheck, SafeParseResult } from './codec/tlv.js';
export { isTemplate, MAX_INPUT_LENGTH, MAX_PAYLOAD_LENGTH } from './qris/spec.js';
export { RULES } from './qris/rules.js';
export type { RuleSpec, Strength } from './qris/rules.js';
export { checkToDynamicOptions, toDynamic, toStatic } from './qris/convert.js';
export type { ToDynamicOptions, ToStaticOptions, FeeOption, AdditionalDataEdits } from './qris/convert.js';
export { formatAmount } from './qris/amount.js';
export type { AmountFormat, FormatAmountOptions } from './qris/amount.js';
export { info } from './qris/info.js';
export type { QrisInfo, Amount, Tip, MerchantAccount, NationalTemplate, AdditionalData, LanguageTemplate } from './qris/info.js';
export { validate, VALIDATION_CODES } from './qris/validate.js';
export type { ValidationResult, ValidationCode, ValidateOptions, Profile, IssueCode, QrisIssue } from './qris/validate.js';
export { findAcquirer, acquirerByGuid, acquirerByPan } from './qris/acquirers.js';
export { build } from './qris/build.js';
export type { BuildFields, BuildAccount } from './qris/build.js';
