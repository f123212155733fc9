/**
 * Progress of long work (experiment grids, trials): done/total, rate and time left, as one
 * updatable display in Jupyter (a display id, then updates through the sink) whose final state
 * is a one-line summary, the output a saved notebook keeps. Outside Jupyter it is a text line on
 * stderr, rewritten in place with \r on a terminal and printed once at the end otherwise (logs
 * of CI runs stay short).
 *
 * At most 10 updates a second by default: each update is a message to the frontend, and a tight
 * loop of trials would otherwise flood it. Throttling drops intermediate states (no timers, so
 * nothing keeps Node alive); `done()` always sends the final one.
 */
import { randomBytes } from "node:crypto";
import { checkInteger, checkNumber } from "../util/validate.js";
import { type DisplaySink, currentSink } from "./sink.js";

export interface ProgressOptions {
  /** What is being counted, shown first ("trials", "grid cells"); "progress" by default. */
  readonly label?: string;
  /** Clock in milliseconds (inject a fake one in tests); `performance.now` by default. */
  readonly now?: () => number;
  /** Where rich updates go; the kernel's sink by default. `null` forces the text line. */
  readonly sink?: DisplaySink | null;
  /** Where the text line goes outside Jupyter; process.stderr by default. */
  readonly stream?: { write(text: string): unknown; isTTY?: boolean };
  /** Throttle; 10 by default. */
  readonly maxUpdatesPerSecond?: number;
}

export interface Progress {
  /** Counts n more items done (1 by default). */
  tick(n?: number): void;
  /** Sets the number of items done. */
  set(done: number): void;
  /** Ends the display with a one-line summary (the default one, or `summary`). Idempotent. */
  done(summary?: string): void;
  /** Items done so far. */
  readonly count: number;
}

export function progress(total: number, options: ProgressOptions = {}): Progress {
  checkInteger("progress", "total", total, 0);
  const label = options.label ?? "progress";
  if (typeof label !== "string") throw new TypeError(`progress: options.label must be a string; received ${typeof label}.`);
  const now = options.now ?? (() => performance.now());
  const interval = 1000 / checkNumber("progress", "options.maxUpdatesPerSecond", options.maxUpdatesPerSecond ?? 10, { min: 0, minExclusive: true });
  const sink = options.sink === undefined ? currentSink() : options.sink ?? undefined;
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  const displayId = `flatlab-progress-${randomBytes(6).toString("hex")}`;
  const start = now();
  let count = 0;
  let lastSent = -Infinity;
  let finished = false;

  const line = (t: number): string => {
    const seconds = (t - start) / 1000;
    const rate = seconds > 0 ? count / seconds : NaN;
    const pct = total > 0 ? ` (${Math.floor((100 * count) / total)}%)` : "";
    const left = count > 0 && rate > 0 ? `${formatDuration((total - count) / rate)} left` : "time left unknown";
    return `${label}: ${count}/${total}${pct} · ${count > 0 && seconds > 0 ? formatRate(rate) : "rate unknown"} · ${left}`;
  };

  const send = (first: boolean) => {
    const t = now();
    lastSent = t;
    const text = line(t);
    if (sink !== undefined) {
      const html = `<div><progress value="${count}" max="${Math.max(total, 1)}" style="width:16em;vertical-align:middle"></progress> <span>${escapeHtml(text)}</span></div>`;
      safely(() => sink.display({ "text/plain": text, "text/html": html }, { displayId, update: !first }));
    } else if (tty) {
      safely(() => stream.write(`\r${text}\x1b[K`));
    }
  };

  const maybeSend = () => {
    if (now() - lastSent >= interval) send(false);
  };

  send(true);
  return {
    get count() {
      return count;
    },
    tick(n = 1) {
      if (finished) return;
      checkInteger("progress.tick", "n", n, 0);
      if (count + n > total) throw new RangeError(`progress.tick: n must keep the count within total = ${total}; received ${n} at count ${count}.`);
      count += n;
      maybeSend();
    },
    set(done: number) {
      if (finished) return;
      count = checkInteger("progress.set", "done", done, 0, total);
      maybeSend();
    },
    done(summary?: string) {
      if (finished) return;
      finished = true;
      const text = summary ?? summarize(label, count, total, (now() - start) / 1000);
      if (sink !== undefined) safely(() => sink.display({ "text/plain": text }, { displayId, update: true }));
      else safely(() => stream.write(tty ? `\r${text}\x1b[K\n` : `${text}\n`));
    },
  };
}

function summarize(label: string, count: number, total: number, seconds: number): string {
  const rate = seconds > 0 && count > 0 ? `, ${formatRate(count / seconds)}` : "";
  return count === total
    ? `${label}: ${count}/${total} done in ${formatDuration(seconds)}${rate}`
    : `${label}: stopped at ${count}/${total} after ${formatDuration(seconds)}${rate}`;
}

/** 4.2 s, 42 s, 3 min 05 s, 1 h 02 min. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "unknown";
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

function formatRate(perSecond: number): string {
  return perSecond >= 100 ? `${Math.round(perSecond)}/s` : `${Number(perSecond.toPrecision(3))}/s`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Progress output is a courtesy: a failing sink or stream must not stop the computation. */
function safely(f: () => unknown): void {
  try {
    f();
  } catch {
    // ignored on purpose
  }
}
