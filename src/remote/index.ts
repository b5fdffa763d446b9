// 'qris-codec/remote': the BAYAR GG client and the local-first fallback. Global fetch only, no
// node: imports, so it runs in Node, browsers and edge runtimes. The image decoder (jimp) is
// loaded lazily, only when an image has to be read.
export { createBayarClient, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES } from './client.js';
export type { BayarClient, BayarClientOptions, ConvertRequest, Nominal, RemoteConversion, RemoteInfo, Verification } from './client.js';
export { RemoteError, isRemoteError } from './errors.js';
export type { RemoteErrorKind, RemoteErrorDetails, RemoteErrorJSON } from './errors.js';
export { verifyConverted, canonicalNominal } from './verify.js';
export type { VerifyOptions, ExpectedMerchant, RequestedChanges, UntrustedCode } from './verify.js';
export { convertWithFallback, REMOTE_CAN_HELP } from './fallback.js';
export type { FallbackOptions, FallbackResult, FallbackImage, ImageDecoder } from './fallback.js';
