// A reusable UTF-8 encode target: `encodeInto` into bytes the owner keeps, never a fresh array per call.

const encoder = /* @__PURE__ */ new TextEncoder();

export class Utf8Buffer {
  /** The bytes of the last `encode`, in [0, its return value). Replaced (not resized) when too small. */
  bytes: Uint8Array = new Uint8Array(2048);

  /** UTF-8 encodes `s` over the previous content and returns the byte count. */
  encode(s: string): number {
    // encodeInto writes at most 3 bytes per UTF-16 code unit.
    if (s.length * 3 > this.bytes.length) this.bytes = new Uint8Array(Math.max(s.length * 3, this.bytes.length * 2));
    return encoder.encodeInto(s, this.bytes).written;
  }
}
