// The renderers for browsers and edge runtimes: qrcode is imported statically, so the bundler
// includes it (a missing qrcode is a build error there, not a run-time one).
import QRCode from 'qrcode';
import { renderers } from './encode.js';
import type { QrCodeLib } from './qrcode-lib.js';

export const { toPng, toSvg, toDataUrl, toTerminal } = /* @__PURE__ */ renderers(() => QRCode as unknown as QrCodeLib);
