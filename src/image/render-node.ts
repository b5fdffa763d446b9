// The renderers for Node, Deno and Bun: qrcode is loaded on the first render, so importing
// 'qris-codec/image' works without it and a render without it throws IMAGE_ENGINE_MISSING.
import { loadQrcodeSync } from './engines.js';
import { renderers } from './encode.js';

export const { toPng, toSvg, toDataUrl, toTerminal } = /* @__PURE__ */ renderers(loadQrcodeSync);
