/** A one-line progress bar on a terminal stream, redrawn at most ten times a second. */
export class Progress {
  private last = 0;
  private readonly started = Date.now();

  constructor(
    private readonly stream: NodeJS.WritableStream & { columns?: number },
    /** Total bytes, when known (a file); stdin shows counts only. */
    private readonly total: number | undefined,
  ) {}

  update(done: number, ok: number, failed: number, force = false): void {
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    const count = ok + failed;
    const secs = Math.max((now - this.started) / 1000, 0.001);
    const rate = Math.round(count / secs);
    const stats = `${count} lines  ${failed} failed  ${rate}/s`;
    let line: string;
    if (this.total !== undefined && this.total > 0) {
      const frac = Math.min(1, done / this.total);
      const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - stats.length - 12));
      const fill = Math.round(frac * width);
      line = `[${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${String(Math.floor(frac * 100)).padStart(3)}%  ${stats}`;
    } else {
      line = stats;
    }
    this.stream.write(`\r\x1b[2K${line}`);
  }

  done(done: number, ok: number, failed: number): void {
    this.update(this.total ?? done, ok, failed, true);
    this.stream.write('\n');
  }
}
