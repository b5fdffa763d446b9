/** Event-loop measurements shared by the tests and the benchmarks. */

/** The longest the event loop went without running a 5 ms interval timer while `work` ran, in ms. */
export async function worstStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 5);
    last = now;
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(worst, performance.now() - last - 5);
}
