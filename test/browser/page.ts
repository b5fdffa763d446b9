/**
 * What the real-browser test runs inside Chromium, bundled by name from the package. Every check
 * returns plain data (strings, numbers, codes) for the Node side to compare with Node's own answer.
 */
import { parse, toDynamic } from 'qris-codec';
import { decodeImage, toDataUrl, toPng, toSvg } from 'qris-codec/image';
import { convertWithFallback } from 'qris-codec/remote';

type Result = Record<string, unknown>;

async function code(f: () => unknown): Promise<string> {
  try {
    await f();
    return 'no error';
  } catch (e) {
    return `${(e as Error).name}:${(e as { code?: string }).code}`;
  }
}

/** Deterministic black/white noise (a xorshift), as ImageData. */
function noise(width: number, height: number): ImageData {
  const d = new ImageData(width, height);
  let x = 0x9e3779b9;
  for (let i = 0; i < d.data.length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const v = x & 1 ? 255 : 0;
    d.data[i] = d.data[i + 1] = d.data[i + 2] = v;
    d.data[i + 3] = 255;
  }
  return d;
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

async function run(input: { payload: string; amount: number; photo: string }): Promise<Result> {
  const out: Result = {};
  out['noBuffer'] = typeof (globalThis as { Buffer?: unknown }).Buffer === 'undefined';
  out['noProcess'] = typeof (globalThis as { process?: unknown }).process === 'undefined';
  const dyn = toDynamic(input.payload, { amount: input.amount });
  out['dynamic'] = dyn;
  out['ids'] = parse(dyn)
    .nodes.map((n) => n.id)
    .join(',');
  const png = toPng(dyn, { scale: 4 });
  out['pngHex'] = hex(png);
  out['svg'] = toSvg(dyn);
  out['dataUrl'] = toDataUrl(dyn, { size: 200 });
  out['dataUrlSvg'] = toDataUrl(dyn, { type: 'svg' });

  // The PNG just drawn, read back through every input kind.
  const blob = new Blob([png], { type: 'image/png' });
  const bitmap = await createImageBitmap(blob);
  const off = new OffscreenCanvas(bitmap.width, bitmap.height);
  const octx = off.getContext('2d')!;
  octx.drawImage(bitmap, 0, 0);
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
  const inputs: Record<string, Parameters<typeof decodeImage>[0]> = {
    bytes: png,
    arrayBuffer: png.slice().buffer,
    blob,
    file: new File([png], 'qr.png', { type: 'image/png' }),
    dataUrl: out['dataUrl'] as string,
    imageData: octx.getImageData(0, 0, off.width, off.height),
    imageBitmap: bitmap,
    canvas,
    offscreenCanvas: off,
  };
  const back: Result = {};
  for (const [name, value] of Object.entries(inputs)) {
    const r = await decodeImage(value);
    back[name] = { payload: r.payload, format: r.format, width: r.width, height: r.height, crc: r.crc.valid, engine: r.engine };
  }
  out['decoded'] = back;

  // The JPEG photo fixture, fetched from the test's own 127.0.0.1 server.
  const photo = await (await fetch(input.photo)).blob();
  const p = await decodeImage(photo);
  out['photo'] = { payload: p.payload, format: p.format, width: p.width, height: p.height };

  // qris-codec/remote's local path decodes with the browser build too (package.json "browser" map).
  const converted = await convertWithFallback(toPng(input.payload), { amount: input.amount });
  out['fallback'] = { payload: converted.payload, source: converted.source };

  out['errors'] = {
    garbage: await code(() => decodeImage(new Blob([new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])]))),
    empty: await code(() => decodeImage(new Uint8Array(0))),
    tooManyPixels: await code(() => decodeImage(png, { maxPixels: 100 })),
    tooManyBytes: await code(() => decodeImage(blob, { maxBytes: 10 })),
    noQr: await code(() => decodeImage(new ImageData(64, 64))),
    badOption: await code(() => decodeImage(png, { maxBytes: -1 })),
    badPayload: await code(() => toPng('')),
  };
  // Browser-only inputs: checked before anything is drawn or allocated.
  const photoBytes = new Uint8Array(await photo.arrayBuffer());
  const zeroCanvas = document.createElement('canvas');
  zeroCanvas.width = 0;
  out['browserErrors'] = {
    shortPixels: await code(() => decodeImage({ data: new Uint8ClampedArray(10), width: 10, height: 10 })),
    zeroCanvas: await code(() => decodeImage(zeroCanvas)),
    hugeCanvas: await code(() => decodeImage(new OffscreenCanvas(10_000, 10_000))),
    notAnImage: await code(() => decodeImage({} as unknown as Blob)),
    truncatedJpeg: await code(() => decodeImage(photoBytes.subarray(0, 2000))),
    closedBitmap: await code(async () => {
      const b = await createImageBitmap(blob);
      b.close();
      return decodeImage(b);
    }),
    // Textured but codeless pixels climb the ladder: a 1 ms budget ends it with a named limit.
    timeBudget: await code(() => decodeImage(noise(1200, 1200), { timeBudgetMs: 1 })),
    badBudget: await code(() => decodeImage(png, { timeBudgetMs: 0 })),
  };
  return out;
}

(globalThis as unknown as { qrisChecks: typeof run }).qrisChecks = run;
