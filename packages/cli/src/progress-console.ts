import type { LineFormatter } from './log-lines';
import { PLAIN, type Style } from './style';

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

type ProcessPhase =
  | { phase: 'starting' }
  | { phase: 'seeding'; table: string; done: number; total: number }
  | { phase: 'ready' };

export interface ProgressConsoleOptions {
  /** Keep one updating status line at the bottom (terminals). Default: the stream is a TTY. */
  live?: boolean;
  /** Least time between two progress lines of one process when not live. */
  throttleMs?: number;
  now?: () => number;
  style?: Style;
}

const CLEAR_LINE = '\r\u001b[2K';
const REDRAW_MS = 100;

/**
 * Startup output. Permanent lines (ready, warnings, finished tables) scroll as usual; seeding
 * progress goes to one updating status line on a terminal, or to plain lines at most once per
 * `throttleMs` per process otherwise (CI logs, pipes).
 */
export class ProgressConsole {
  private readonly processes = new Map<string, ProcessPhase>();
  private readonly lastProgressLine = new Map<string, number>();
  private readonly live: boolean;
  private readonly throttleMs: number;
  private readonly now: () => number;
  private readonly style: Style;
  private statusShown = false;
  private statusActive = false;
  private redrawTimer: NodeJS.Timeout | undefined;
  /** Keeps the elapsed time moving while nothing else happens (creating databases is quiet). */
  private ticker: NodeJS.Timeout | undefined;
  private lastDraw = 0;
  private begunAt = 0;

  constructor(
    private readonly out: OutputStream,
    private readonly formatter: LineFormatter,
    options: ProgressConsoleOptions = {},
  ) {
    this.live = options.live ?? Boolean(out.isTTY);
    this.throttleMs = options.throttleMs ?? 1000;
    this.now = options.now ?? Date.now;
    this.style = options.style ?? PLAIN;
  }

  /** Starts showing the status line for these processes. */
  begin(names: readonly string[]): void {
    if (this.processes.size === 0) this.begunAt = this.now();
    for (const name of names) this.processes.set(name, { phase: 'starting' });
    this.statusActive = true;
    if (this.live && !this.ticker) {
      this.ticker = setInterval(() => this.draw(), 1000);
      this.ticker.unref();
    }
    this.draw();
  }

  /** Stops the status line for good (everything is ready, or we are stopping). */
  end(): void {
    this.clearStatus();
    this.statusActive = false;
    clearTimeout(this.redrawTimer);
    clearInterval(this.ticker);
    this.redrawTimer = undefined;
    this.ticker = undefined;
  }

  print(...lines: string[]): void {
    if (lines.length === 0) return;
    this.clearStatus();
    this.out.write(`${lines.join('\n')}\n`);
    this.draw();
  }

  seeding(name: string, table: string, done: number, total: number): void {
    this.processes.set(name, { phase: 'seeding', table, done, total });
    const finished = done >= total;
    if (this.live) {
      if (finished) this.print(this.formatter.seeding(name, table, done, total));
      else this.scheduleDraw();
      return;
    }
    const now = this.now();
    const last = this.lastProgressLine.get(name);
    if (finished || last === undefined || now - last >= this.throttleMs) {
      this.lastProgressLine.set(name, now);
      this.print(this.formatter.seeding(name, table, done, total));
    }
  }

  ready(name: string, elapsedMs: number, detail?: string): void {
    this.processes.set(name, { phase: 'ready' });
    this.print(this.formatter.ready(name, elapsedMs, detail));
  }

  /** The status line's text: time so far, what is ready, how far each seeding process got, what is still starting. */
  statusText(): string {
    const seeding: string[] = [];
    const starting: string[] = [];
    let ready = 0;
    for (const [name, state] of this.processes) {
      if (state.phase === 'ready') ready += 1;
      else if (state.phase === 'seeding') seeding.push(`${name} ${state.table} ${Math.floor((100 * state.done) / Math.max(1, state.total))}%`);
      else starting.push(name);
    }
    const elapsed = `${Math.floor((this.now() - this.begunAt) / 1000)} s`;
    return [elapsed, `${ready}/${this.processes.size} ready`, ...seeding, ...(starting.length > 0 ? [`starting ${starting.join(', ')}`] : [])].join(' · ');
  }

  private scheduleDraw(): void {
    if (this.redrawTimer) return;
    const wait = Math.max(0, REDRAW_MS - (this.now() - this.lastDraw));
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = undefined;
      this.draw();
    }, wait);
    this.redrawTimer.unref();
  }

  private draw(): void {
    if (!this.live || !this.statusActive) return;
    // `columns` is 0 or missing when the terminal does not say.
    const width = Math.max(20, (this.out.columns || 80) - 1);
    let text = this.statusText();
    if (text.length > width) text = `${text.slice(0, width - 1)}…`;
    this.out.write(`${CLEAR_LINE}${this.style.dim(text)}`);
    this.statusShown = true;
    this.lastDraw = this.now();
  }

  private clearStatus(): void {
    if (!this.statusShown) return;
    this.out.write(CLEAR_LINE);
    this.statusShown = false;
  }
}
