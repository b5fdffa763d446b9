/** Picking one real payload out of the dev corpus by a piece of its text. */
import { expect } from 'vitest';
import corpus from '../fixtures/dev-payloads.json' with { type: 'json' };

/** The payload of the one corpus entry that contains `key` (fails the test unless exactly one does). */
export function findPayload(key: string): string {
  const hits = corpus.filter((e) => e.payload.includes(key));
  expect(hits, key).toHaveLength(1);
  return hits[0]!.payload;
}
