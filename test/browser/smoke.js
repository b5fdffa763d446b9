// The page Vite and webpack bundle (plain JavaScript: webpack is given no loader): render, read
// back from a Blob, and report what came out, for test/browser.test.ts to compare with Node.
import { toDynamic } from 'qris-codec';
import { decodeImage, toDataUrl, toPng, toSvg } from 'qris-codec/image';

globalThis.qrisSmoke = async (payload, amount) => {
  const dyn = toDynamic(payload, { amount });
  const png = toPng(dyn, { scale: 4 });
  const back = await decodeImage(new Blob([png], { type: 'image/png' }));
  let pngHex = '';
  for (const b of png) pngHex += b.toString(16).padStart(2, '0');
  return { dyn, pngHex, svg: toSvg(dyn), dataUrl: toDataUrl(dyn), back: back.payload, engine: back.engine, noBuffer: typeof globalThis.Buffer === 'undefined' };
};
