// Progress of a long transfer: a bar redrawn in place on a terminal (runs, events, rate, ETA), a plain
// line every few seconds otherwise (CI logs, files).

export class Progress {
  private runs = 0;
  private events = 0;
  private readonly started = Date.now();
  private lastLine = 0;

  constructor(
    private readonly label: string,
    private readonly totalRuns: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly everyMs = 5_000,
  ) {}

  add(events: number): void {
    this.runs++;
    this.events += events;
    const now = Date.now();
    if (this.out.isTTY) this.out.write(`\r${this.line(now)}\u001b[K`);
    else if (now - this.lastLine >= this.everyMs || this.runs === this.totalRuns) {
      this.lastLine = now;
      this.out.write(`${this.line(now)}\n`);
    }
  }

  /** Ends the bar's line on a terminal. */
  done(): void {
    if (this.out.isTTY && this.runs > 0) this.out.write('\n');
  }

  private line(now: number): string {
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = this.events / seconds;
    const counts = `events ${this.events.toLocaleString('en')} · ${Math.round(rate).toLocaleString('en')} events/s`;
    // An archive being read has no known total: counts and rate only.
    if (!Number.isFinite(this.totalRuns)) return `${this.label}: runs ${this.runs} · ${counts}`;
    const fraction = this.totalRuns === 0 ? 1 : this.runs / this.totalRuns;
    const eta = fraction > 0 ? (seconds / fraction) * (1 - fraction) : 0;
    const width = 20;
    const bar = this.out.isTTY ? `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] ` : '';
    return `${this.label}: ${bar}runs ${this.runs}/${this.totalRuns} · ${counts} · ETA ${duration(eta)}`;
  }
}

export function duration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}m${Math.round(seconds % 60)}s` : `${Math.floor(minutes / 60)}h${minutes % 60}m`;
}
