/**
 * Grayscale pixel buffers and the cheap operations the detection strategy needs: RGBA to luma
 * (alpha composited on white), area-average downscale, crop, contrast stretch, inversion, Otsu
 * threshold. One byte per pixel keeps every pass memory-bound and small.
 */

export interface Gray {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/**
 * RGBA to luma, composited on white, downscaled by an integer factor `f` (area average) in the same
 * pass, so a 12 MP photo never needs a full-size grayscale copy when a smaller one is wanted.
 */
export function rgbaToGray(rgba: Uint8Array, width: number, height: number, f = 1): Gray {
  const w = Math.max(1, Math.floor(width / f));
  const h = Math.max(1, Math.floor(height / f));
  const out = new Uint8Array(w * h);
  if (f === 1) {
    for (let i = 0, j = 0; i < out.length; i++, j += 4) {
      const a = rgba[j + 3]!;
      const y = (306 * rgba[j]! + 601 * rgba[j + 1]! + 117 * rgba[j + 2]! + 512) >> 10;
      out[i] = a === 255 ? y : (y * a + 255 * (255 - a) + 127) / 255;
    }
    return { data: out, width: w, height: h };
  }
  const acc = new Uint32Array(w);
  const div = f * f;
  for (let oy = 0; oy < h; oy++) {
    acc.fill(0);
    for (let dy = 0; dy < f; dy++) {
      let j = (oy * f + dy) * width * 4;
      for (let ox = 0; ox < w; ox++) {
        let s = 0;
        for (let dx = 0; dx < f; dx++, j += 4) {
          const a = rgba[j + 3]!;
          const y = (306 * rgba[j]! + 601 * rgba[j + 1]! + 117 * rgba[j + 2]! + 512) >> 10;
          s += a === 255 ? y : (y * a + 255 * (255 - a)) / 255;
        }
        acc[ox]! += s;
      }
    }
    const row = oy * w;
    for (let ox = 0; ox < w; ox++) out[row + ox] = (acc[ox]! / div + 0.5) | 0;
  }
  return { data: out, width: w, height: h };
}

/**
 * `rgbaToGray` for pixels known to be opaque (a decoded JPEG): one 32-bit load per pixel, and luma
 * taken once per block from the summed weighted channels (it is linear), so the 12 MP first look
 * costs a third of the general path. Within one level of `rgbaToGray` (rounding once, not twice).
 */
export function opaqueRgbaToGray(rgba: Uint8Array, width: number, height: number, f = 1): Gray {
  // A block's weighted sum stays below 2^32 up to f = 64; larger factors take the general path.
  if (f > 64 || rgba.byteOffset % 4 !== 0) return rgbaToGray(rgba, width, height, f);
  const w = Math.max(1, Math.floor(width / f));
  const h = Math.max(1, Math.floor(height / f));
  const out = new Uint8Array(w * h);
  const px = new Uint32Array(rgba.buffer, rgba.byteOffset, width * height);
  if (f === 1) {
    for (let i = 0; i < out.length; i++) {
      const v = px[i]!; // little-endian: R in the low byte
      out[i] = (306 * (v & 255) + 601 * ((v >>> 8) & 255) + 117 * ((v >>> 16) & 255) + 512) >>> 10;
    }
    return { data: out, width: w, height: h };
  }
  const acc = new Uint32Array(w);
  const div = f * f * 1024;
  for (let oy = 0; oy < h; oy++) {
    acc.fill(0);
    for (let dy = 0; dy < f; dy++) {
      let j = (oy * f + dy) * width;
      for (let ox = 0; ox < w; ox++) {
        let s = 0;
        for (let dx = 0; dx < f; dx++, j++) {
          const v = px[j]!;
          s += 306 * (v & 255) + 601 * ((v >>> 8) & 255) + 117 * ((v >>> 16) & 255);
        }
        acc[ox]! += s;
      }
    }
    const row = oy * w;
    for (let ox = 0; ox < w; ox++) out[row + ox] = (acc[ox]! / div + 0.5) | 0;
  }
  return { data: out, width: w, height: h };
}

/** Area-average shrink by an integer factor `f` (what `rgbaToGray` does while converting). */
export function shrink(g: Gray, f: number): Gray {
  if (f <= 1) return g;
  const { width, data } = g;
  const w = Math.max(1, Math.floor(width / f));
  const h = Math.max(1, Math.floor(g.height / f));
  const out = new Uint8Array(w * h);
  const acc = new Uint32Array(w);
  const div = f * f;
  for (let oy = 0; oy < h; oy++) {
    acc.fill(0);
    for (let dy = 0; dy < f; dy++) {
      let j = (oy * f + dy) * width;
      for (let ox = 0; ox < w; ox++) {
        let s = 0;
        for (let dx = 0; dx < f; dx++, j++) s += data[j]!;
        acc[ox]! += s;
      }
    }
    const row = oy * w;
    for (let ox = 0; ox < w; ox++) out[row + ox] = (acc[ox]! / div + 0.5) | 0;
  }
  return { data: out, width: w, height: h };
}

/** Area-average downscale so the longer side is at most `maxSide` (any real factor). */
export function downscale(g: Gray, maxSide: number): Gray {
  const long = Math.max(g.width, g.height);
  if (long <= maxSide) return g;
  const s = long / maxSide;
  const w = Math.max(1, Math.round(g.width / s));
  const h = Math.max(1, Math.round(g.height / s));
  const out = new Uint8Array(w * h);
  // Separable box filter: columns first into a float row buffer per output row.
  const xs = new Int32Array(w + 1);
  for (let x = 0; x <= w; x++) xs[x] = Math.min(g.width, Math.round((x * g.width) / w));
  const row = new Float64Array(w);
  for (let oy = 0; oy < h; oy++) {
    const y0 = Math.round((oy * g.height) / h);
    const y1 = Math.max(y0 + 1, Math.min(g.height, Math.round(((oy + 1) * g.height) / h)));
    row.fill(0);
    for (let y = y0; y < y1; y++) {
      const base = y * g.width;
      for (let ox = 0; ox < w; ox++) {
        let s = 0;
        const x1 = xs[ox + 1]!;
        for (let x = xs[ox]!; x < x1; x++) s += g.data[base + x]!;
        row[ox]! += s;
      }
    }
    const n = y1 - y0;
    for (let ox = 0; ox < w; ox++) out[oy * w + ox] = row[ox]! / (n * Math.max(1, xs[ox + 1]! - xs[ox]!)) + 0.5;
  }
  return { data: out, width: w, height: h };
}

/**
 * Turns pixels stored with EXIF orientation `o` (1-8) upright: 2 mirror, 3 rotate 180°, 4 flip,
 * 5 transpose, 6 rotate 90° clockwise, 7 transverse, 8 rotate 90° counter-clockwise.
 */
export function orient(g: Gray, o: number): Gray {
  if (o <= 1 || o > 8) return g;
  const { width: W, height: H, data: d } = g;
  const swap = o >= 5;
  const w = swap ? H : W;
  const h = swap ? W : H;
  const out = new Uint8Array(w * h);
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      // (sx, sy): where upright pixel (x, y) is stored.
      let sx: number;
      let sy: number;
      if (o === 2) [sx, sy] = [W - 1 - x, y];
      else if (o === 3) [sx, sy] = [W - 1 - x, H - 1 - y];
      else if (o === 4) [sx, sy] = [x, H - 1 - y];
      else if (o === 5) [sx, sy] = [y, x];
      else if (o === 6) [sx, sy] = [y, H - 1 - x];
      else if (o === 7) [sx, sy] = [W - 1 - y, H - 1 - x];
      else [sx, sy] = [W - 1 - y, x];
      out[i] = d[sy * W + sx]!;
    }
  }
  return { data: out, width: w, height: h };
}

export function crop(g: Gray, x: number, y: number, w: number, h: number): Gray {
  const out = new Uint8Array(w * h);
  for (let r = 0; r < h; r++) out.set(g.data.subarray((y + r) * g.width + x, (y + r) * g.width + x + w), r * w);
  return { data: out, width: w, height: h };
}

/** Linear stretch of the 1st..99th percentile to 0..255; `null` when the image already spans it. */
export function stretch(g: Gray): Gray | null {
  const hist = new Uint32Array(256);
  const d = g.data;
  for (let i = 0; i < d.length; i++) hist[d[i]!]!++;
  const cut = Math.floor(d.length / 100);
  let lo = 0;
  let hi = 255;
  for (let acc = 0; lo < 255 && (acc += hist[lo]!) <= cut; lo++);
  for (let acc = 0; hi > 0 && (acc += hist[hi]!) <= cut; hi--);
  if (hi - lo >= 160 || hi <= lo) return null;
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = Math.max(0, Math.min(255, Math.round(((v - lo) * 255) / (hi - lo))));
  const out = new Uint8Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = lut[d[i]!]!;
  return { data: out, width: g.width, height: g.height };
}

/** Global Otsu threshold to pure black and white (helps blurred codes the local binariser smears). */
export function otsu(g: Gray): Gray {
  const hist = new Float64Array(256);
  const d = g.data;
  for (let i = 0; i < d.length; i++) hist[d[i]!]!++;
  let sum = 0;
  for (let v = 0; v < 256; v++) sum += v * hist[v]!;
  let sumB = 0;
  let wB = 0;
  let best = 0;
  let t = 127;
  for (let v = 0; v < 256; v++) {
    wB += hist[v]!;
    if (wB === 0) continue;
    const wF = d.length - wB;
    if (wF === 0) break;
    sumB += v * hist[v]!;
    const mB = sumB / wB;
    const mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) {
      best = between;
      t = v;
    }
  }
  const out = new Uint8Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i]! > t ? 255 : 0;
  return { data: out, width: g.width, height: g.height };
}

/** 3×3 box blur: tames JPEG blocking and sensor noise before binarisation. */
export function blur3(g: Gray): Gray {
  const { width: w, height: h, data: d } = g;
  const out = new Uint8Array(d.length);
  for (let y = 0; y < h; y++) {
    const y0 = y > 0 ? y - 1 : 0;
    const y1 = y < h - 1 ? y + 1 : h - 1;
    for (let x = 0; x < w; x++) {
      const x0 = x > 0 ? x - 1 : 0;
      const x1 = x < w - 1 ? x + 1 : w - 1;
      const s =
        d[y0 * w + x0]! +
        d[y0 * w + x]! +
        d[y0 * w + x1]! +
        d[y * w + x0]! +
        d[y * w + x]! +
        d[y * w + x1]! +
        d[y1 * w + x0]! +
        d[y1 * w + x]! +
        d[y1 * w + x1]!;
      out[y * w + x] = (s + 4) / 9;
    }
  }
  return { data: out, width: w, height: h };
}

let rgbaScratch = new Uint8ClampedArray(0);

/**
 * Gray to RGBA (both detectors read RGBA). With `reuse`, in a shared buffer valid until the next
 * call: only for synchronous consumers.
 */
export function toRgba(g: Gray, reuse: boolean): Uint8ClampedArray {
  const n = g.width * g.height * 4;
  let out: Uint8ClampedArray;
  if (reuse && n <= 1 << 24) {
    if (rgbaScratch.length < n) rgbaScratch = new Uint8ClampedArray(n);
    out = rgbaScratch.length === n ? rgbaScratch : rgbaScratch.subarray(0, n);
  } else out = new Uint8ClampedArray(n);
  const d = g.data;
  const u32 = new Uint32Array(out.buffer, out.byteOffset, n >> 2);
  for (let i = 0; i < d.length; i++) u32[i] = 0xff000000 | (d[i]! * 0x010101);
  return out;
}

/**
 * Adaptive threshold against the mean of a (2r+1)² window (integral image): with r about one
 * module it separates modules that blur has smeared into a middle gray, where a global threshold
 * and jsQR's 8-px-block binariser both merge them.
 */
export function localMean(g: Gray, r: number): Gray {
  const { width: w, height: h, data: d } = g;
  const W = w + 1;
  const integral = new Float64Array(W * (h + 1));
  for (let y = 0; y < h; y++) {
    let s = 0;
    const row = y * w;
    const at = (y + 1) * W;
    for (let x = 0; x < w; x++) {
      s += d[row + x]!;
      integral[at + x + 1] = integral[at - W + x + 1]! + s;
    }
  }
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = y > r ? y - r : 0;
    const y1 = y + r + 1 < h ? y + r + 1 : h;
    for (let x = 0; x < w; x++) {
      const x0 = x > r ? x - r : 0;
      const x1 = x + r + 1 < w ? x + r + 1 : w;
      const sum = integral[y1 * W + x1]! - integral[y0 * W + x1]! - integral[y1 * W + x0]! + integral[y0 * W + x0]!;
      out[y * w + x] = d[y * w + x]! * (x1 - x0) * (y1 - y0) > sum - 2 * (x1 - x0) * (y1 - y0) ? 255 : 0;
    }
  }
  return { data: out, width: w, height: h };
}

/** Unsharp mask (amount 1.5 over a 5×5 blur): restores edges of small, soft modules. */
export function sharpen(g: Gray): Gray {
  const b = blur3(blur3(g));
  const d = g.data;
  const out = new Uint8Array(d.length);
  for (let i = 0; i < d.length; i++) {
    const v = d[i]! + 1.5 * (d[i]! - b.data[i]!);
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return { data: out, width: g.width, height: g.height };
}
