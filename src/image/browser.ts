// 'qris-codec/image' for browsers, web workers and edge runtimes (the `browser`, `worker` and
// `edge-light` export conditions): the same renderers as in Node, with qrcode and jsQR bundled and
// no Node built-in or Buffer; decodeImage takes Blobs, Files, ImageData, bitmaps and canvases too.
export { decodeImage } from './decode-browser.js';
export type { BrowserDecodeImageOptions, BrowserDecodedImage, BrowserDecodedImages, BrowserImageInput, DrawableLike, ImageDataLike } from './decode-browser.js';
export type { ImageCode, CodeKind, Position } from './codes.js';
export type { BlobLike, ImageInput, FetchOptions } from './input.js';
export type { ImageFormat } from './sniff.js';
export type { Corners, Point } from './detect.js';
export { toPng, toSvg, toDataUrl, toTerminal } from './render-browser.js';
export type { Renderers, RenderOptions, DataUrlOptions, TerminalOptions, ErrorCorrectionLevel } from './encode.js';
