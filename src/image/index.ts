// 'qris-codec/image': read QRIS payloads from images and render them as PNG, SVG, data URLs and
// terminal text. Loaded only through this subpath, so the core never pulls in an image library.
// jimp, jsQR, qrcode and @jsquash/webp are optional peers, loaded on first use (missing:
// IMAGE_ENGINE_MISSING); sharp and zxing-wasm only when installed. Browsers get browser.ts.
export { decodeImage, DEFAULT_MAX_BYTES, DEFAULT_MAX_DECODED_BYTES, DEFAULT_MAX_PIXELS, DEFAULT_TIME_BUDGET_MS } from './decode.js';
export type { DecodeImageOptions, DecodedImage, DecodedImages, DecodeEngine } from './decode.js';
export type { ImageCode, CodeKind, Position } from './codes.js';
export type { BlobLike, ImageInput, FetchOptions } from './input.js';
export type { ImageFormat } from './sniff.js';
export type { Corners, Point } from './detect.js';
export { toPng, toSvg, toDataUrl, toTerminal } from './render-node.js';
export type { Renderers, RenderOptions, DataUrlOptions, TerminalOptions, ErrorCorrectionLevel } from './encode.js';
