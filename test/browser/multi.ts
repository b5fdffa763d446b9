/**
 * Inside Chromium: decodeImage (the browser build, bundled by name) over pictures sent as bytes.
 * Returns per picture what came back: the payload, or the error code with its candidates.
 */
import { decodeImage } from 'qris-codec/image';

interface Verdict {
  payload?: string;
  codes?: { text: string; kind: string; copies: number }[];
  error?: string;
  candidates?: readonly string[];
  engine?: string;
}

async function verdicts(pictures: { name: string; b64: string; type: string }[]): Promise<Record<string, Verdict>> {
  const out: Record<string, Verdict> = {};
  for (const p of pictures) {
    const bytes = Uint8Array.from(atob(p.b64), (c) => c.charCodeAt(0));
    try {
      const r = await decodeImage(new Blob([bytes], { type: p.type }));
      out[p.name] = { payload: r.payload, codes: r.codes.map((c) => ({ text: c.text, kind: c.kind, copies: c.copies })), engine: r.engine };
    } catch (e) {
      const x = e as { code?: string; candidates?: readonly string[] };
      out[p.name] = { error: x.code ?? String(e), ...(x.candidates ? { candidates: x.candidates } : {}) };
    }
  }
  return out;
}

(globalThis as unknown as { qrisVerdicts: typeof verdicts }).qrisVerdicts = verdicts;
