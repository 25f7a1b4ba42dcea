/**
 * A background loop: runs `step` again and again until stopped, waiting between steps as long as the step
 * asks (its return value, ms). `stop()` waits for a step that is running, so shutdown never cuts one short.
 * A step handles its own errors (it knows how to back off); one that throws anyway is retried after 1 s.
 */
export class WorkerLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  /** A step is scheduled (its timer set) and has not started yet. */
  private waiting = false;
  /** wake() came while a step ran: the next step follows it at once. */
  private woken = false;
  private stopped = false;

  constructor(private readonly step: () => Promise<number>) {}

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /**
   * New work has come (in this process): a loop waiting between steps runs its next step now; a running step
   * (which may have looked for work before it came) is followed by the next one at once. Never two steps at a time.
   */
  wake(): void {
    if (this.stopped) return;
    if (!this.waiting) {
      this.woken = true;
      return;
    }
    clearTimeout(this.timer);
    this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.woken) {
      this.woken = false;
      delay = 0;
    }
    this.waiting = true;
    this.timer = setTimeout(() => {
      this.waiting = false;
      this.running = this.step().then(
        (next) => this.schedule(next),
        () => this.schedule(1000),
      );
    }, delay);
  }
}
