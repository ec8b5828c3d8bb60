/**
 * A worker-side loop over the database: runs `work` now, then again `intervalMs` after each run
 * ends (never two at once; a function is asked for the pause after every run), until stopped. A failed run is reported to `onError` and the loop goes
 * on. `stop()` waits for a run in progress, so a SIGTERM never cuts a transaction short.
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly intervalMs: number | (() => number),
    private readonly onError: (error: unknown) => void,
  ) {}

  get isStopped(): boolean {
    return this.stopped;
  }

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
      this.running = this.work()
        .catch(this.onError)
        .finally(() => this.schedule(typeof this.intervalMs === 'number' ? this.intervalMs : this.intervalMs()));
    }, delay);
  }
}
