// 'qris-codec': the core entry. Re-exports only; no I/O and no dependencies, so it runs in Node,
// browsers and edge runtimes alike.
export { QrisError, isQrisError, ERROR_CODES } from './errors.js';
export type { QrisErrorCode, QrisErrorDetails } from './errors.js';
export { crc16, crc16Hex, formatCrc } from './codec/crc16.js';
export { parse, safeParse, serialize, codePointLength, MAX_NESTING } from './codec/tlv.js';
export type { TlvNode, TlvInput, ParsedQris, ParseOptions, ParseWarningCode, CrcCheck, SafeParseResult } from './codec/tlv.js';
export { isTemplate, MAX_INPUT_LENGTH, MAX_PAYLOAD_LENGTH } from './qris/spec.js';
export { RULES, PROFILES, QRIS_PAYMENT_LIMIT } from './qris/rules.js';
export type { RuleSpec, Strength } from './qris/rules.js';
export { kindOf, KIND_WORDS, PURPOSE_NAMES, TRANSFER_PURPOSES } from './qris/kinds.js';
export type { CodeKind } from './qris/kinds.js';
export { OVERLAYS, OVERLAY_PROFILES } from './qris/overlays.js';
export type { OverlayProfile, SchemeInfo, PromptPayTarget } from './qris/overlays.js';
export { QRIS_NNS, nnsOf } from './qris/nns.js';
export type { NnsEntry } from './qris/nns.js';
export { checkToDynamicOptions, toDynamic, toStatic } from './qris/convert.js';
export type { ToDynamicOptions, ToStaticOptions, FeeOption, AdditionalDataEdits } from './qris/convert.js';
export { formatAmount } from './qris/amount.js';
export type { AmountFormat, FormatAmountOptions } from './qris/amount.js';
export { info } from './qris/info.js';
export type { QrisInfo, Amount, Tip, MerchantAccount, NationalTemplate, AdditionalData, LanguageTemplate, TransferDetails } from './qris/info.js';
export { validate, VALIDATION_CODES } from './qris/validate.js';
export type { ValidationResult, ValidationCode, ValidateOptions, Profile, IssueCode, QrisIssue } from './qris/validate.js';
export { findAcquirer, acquirerByGuid, acquirerByPan } from './qris/acquirers.js';
export { build } from './qris/build.js';
export type { BuildFields, BuildAccount, BuildTransfer } from './qris/build.js';
