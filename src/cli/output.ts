/**
 * Where batch mode writes: stdout, or `-o FILE` written to a temporary file beside FILE and renamed
 * onto it at the end, so a run that fails or is killed midway leaves FILE as it was. The file is
 * opened before the first line is read; every failure is a rejected promise, never an 'error' event.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, unlinkSync, type Stats } from 'node:fs';
import { open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** NDJSON goes out through this; `commit` makes it visible, `abort` throws it away. */
export interface Sink {
  write(text: string): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** `-o FILE` cannot be opened, written or renamed (invalid environment: exit code 1). */
export class OutputFileError extends Error {
  override readonly name = 'OutputFileError';
  readonly code: string;
  constructor(
    readonly path: string,
    cause: NodeJS.ErrnoException,
  ) {
    super(`Cannot write ${path}: ${reason(cause, path)}`, { cause });
    this.code = cause.code ?? 'EIO';
  }
}

function reason(e: NodeJS.ErrnoException, path: string): string {
  switch (e.code) {
    case 'ENOENT':
      return `the directory ${dirname(path)} does not exist.`;
    case 'ENOTDIR':
      return `a part of ${dirname(path)} is not a directory.`;
    case 'EACCES':
    case 'EPERM':
      return 'permission denied.';
    case 'EISDIR':
      return 'it is a directory.';
    case 'ENOSPC':
      return 'no space left on the device.';
    case 'EROFS':
      return 'the file system is read-only.';
    default:
      return `${e.code ?? 'error'}.`;
  }
}

/** Writes to a stream (stdout); a write error rejects the write. */
export function streamSink(stream: NodeJS.WritableStream): Sink {
  return {
    write: (text) =>
      new Promise<void>((resolve, reject) => {
        stream.write(text, (err) => (err ? reject(err) : resolve()));
      }),
    commit: async () => {},
    abort: async () => {},
  };
}

/** True when `a` and `b` are the same file: the same device and inode, or the same real path. */
export async function sameFile(a: Stats, b: Stats, pathA?: string, pathB?: string): Promise<boolean> {
  if (a.dev === b.dev && a.ino === b.ino) return true;
  if (pathA === undefined || pathB === undefined) return false;
  const [ra, rb] = await Promise.all([realpath(pathA).catch(() => undefined), realpath(pathB).catch(() => undefined)]);
  return ra !== undefined && ra === rb;
}

/** The stat of `path`, or undefined when nothing is there. */
export async function statOrNothing(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OutputFileError(path, e as NodeJS.ErrnoException);
  }
}

/**
 * Opens `-o path` for writing. A regular file (or a new one) is written through a temporary file in
 * the same directory and renamed onto `path` by `commit`; a FIFO or a device is written directly.
 */
export async function openFileSink(path: string, existing: Stats | undefined): Promise<Sink> {
  if (existing !== undefined && !existing.isFile()) {
    if (existing.isDirectory()) throw new OutputFileError(path, Object.assign(new Error('EISDIR'), { code: 'EISDIR' }));
    return handleSink(path, await openOrFail(path, 'w'), undefined);
  }
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await openOrFail(temp, 'wx', path);
  if (existing !== undefined) await handle.chmod(existing.mode & 0o7777).catch(() => {});
  return handleSink(path, handle, temp);
}

async function openOrFail(file: string, flags: string, reported = file): Promise<FileHandle> {
  try {
    return await open(file, flags, 0o666);
  } catch (e) {
    throw new OutputFileError(reported, e as NodeJS.ErrnoException);
  }
}

function handleSink(path: string, handle: FileHandle, temp: string | undefined): Sink {
  let closed = false;
  // Killed by a signal midway: remove the temporary file, then die of the same signal.
  const removeTemp = (): void => {
    if (temp !== undefined) {
      try {
        unlinkSync(temp);
      } catch {
        // already gone
      }
    }
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    removeTemp();
    unlisten();
    process.kill(process.pid, signal);
  };
  const unlisten = (): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    process.off('exit', removeTemp);
  };
  if (temp !== undefined) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    process.once('SIGHUP', onSignal);
    process.once('exit', removeTemp);
  }
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    async write(text) {
      const bytes = Buffer.from(text);
      try {
        let done = 0;
        while (done < bytes.length) done += (await handle.write(bytes, done, bytes.length - done)).bytesWritten;
      } catch (e) {
        throw new OutputFileError(path, e as NodeJS.ErrnoException);
      }
    },
    async commit() {
      try {
        if (temp !== undefined) await handle.datasync();
        await close();
        if (temp !== undefined) renameSync(temp, path);
      } catch (e) {
        throw new OutputFileError(path, e as NodeJS.ErrnoException);
      } finally {
        removeTemp();
        unlisten();
      }
    },
    async abort() {
      await close().catch(() => {});
      removeTemp();
      unlisten();
    },
  };
}
