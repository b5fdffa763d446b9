// 'qris-codec/image': read QRIS payloads from images and render them as PNG, SVG, data URLs and
// terminal text. Loaded only through this subpath, so the core never pulls in an image library;
// jimp and jsQR load on the first decode, sharp and zxing-wasm only when installed.
export { decodeImage, DEFAULT_MAX_BYTES, DEFAULT_MAX_DECODED_BYTES, DEFAULT_MAX_PIXELS, DEFAULT_TIME_BUDGET_MS } from './decode.js';
export type { DecodeImageOptions, DecodedImage, DecodeEngine } from './decode.js';
export type { ImageInput, FetchOptions } from './input.js';
export type { ImageFormat } from './sniff.js';
export type { Corners, Point } from './detect.js';
export { toPng, toSvg, toDataUrl, toTerminal } from './encode.js';
export type { RenderOptions, DataUrlOptions, TerminalOptions, ErrorCorrectionLevel } from './encode.js';
