/** Assertions on thrown errors shared by the test files. */
import { expect } from 'vitest';
import { QrisError, type QrisErrorCode } from '../src/index.js';

/** Runs `fn` and returns the QrisError it throws (fails the test if it throws anything else or nothing). */
export function thrown(fn: () => unknown): QrisError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(QrisError);
    return e as QrisError;
  }
  throw new Error('expected a QrisError, nothing was thrown');
}

/** The code of the QrisError `fn` throws. */
export function codeOf(fn: () => unknown): QrisErrorCode {
  return thrown(fn).code;
}
