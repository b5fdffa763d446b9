// Runs in a module Web Worker (no document: OffscreenCanvas only): render, then read back.
import { decodeImage, toPng } from 'qris-codec/image';

self.onmessage = async (e: MessageEvent<{ payload: string }>) => {
  try {
    const png = toPng(e.data.payload, { scale: 4 });
    const r = await decodeImage(new Blob([png], { type: 'image/png' }));
    self.postMessage({ payload: r.payload, engine: r.engine, noDocument: typeof (globalThis as { document?: unknown }).document === 'undefined' });
  } catch (err) {
    self.postMessage({ error: `${(err as Error).name}:${(err as { code?: string }).code}:${(err as Error).message}` });
  }
};
