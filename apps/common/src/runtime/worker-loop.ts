/**
 * A background loop: runs `step` again and again until stopped, waiting between steps as long as the step
 * asks (its return value, ms). `stop()` waits for a step that is running, so shutdown never cuts one short.
 * A step handles its own errors (it knows how to back off); one that throws anyway is retried after 1 s.
 */
export class WorkerLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
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

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.step().then(
        (next) => this.schedule(next),
        () => this.schedule(1000),
      );
    }, delay);
  }
}
