/**
 * The requests this process is serving, so that background work sharing its event loop (a bulk job's chunks)
 * lets them go first: {@link track} wraps a request, and the background work awaits {@link turn} between its
 * units. A turn comes at once (after pending I/O) when no request is in flight, else when the last one ends or
 * after `maxWaitMs`, whichever is first: under steady load the background work slows down, it never stops.
 */
export class Foreground {
  private inFlight = 0;
  private readonly waiting = new Set<() => void>();

  /** Runs `work` as a request in flight. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await work();
    } finally {
      if (--this.inFlight === 0) for (const go of [...this.waiting]) go();
    }
  }

  /** Resolves when background work may run its next unit. */
  turn(maxWaitMs: number): Promise<void> {
    if (this.inFlight === 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => {
      const go = () => {
        clearTimeout(timer);
        this.waiting.delete(go);
        resolve();
      };
      const timer = setTimeout(go, maxWaitMs);
      this.waiting.add(go);
    });
  }
}
