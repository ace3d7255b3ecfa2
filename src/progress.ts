/** Reports how far a long step has come: `(what, done, total)`. */
export type Progress = (what: string, done: number, total: number) => void;

/** Reports nothing. */
export const NO_PROGRESS: Progress = () => undefined;

/**
 * A one-line progress display for terminals: rewritten in place at most every 100 ms, and
 * only for steps long enough to notice. Not for CI logs: the caller decides when to use it.
 */
export function terminalProgress(write: (s: string) => void, minTotal = 2000): Progress & { done(): void } {
  let last = 0;
  let shown = false;
  const report = ((what: string, done: number, total: number) => {
    if (total < minTotal) return;
    const now = Date.now();
    if (done < total && now - last < 100) return;
    last = now;
    shown = true;
    write(`\r\u001b[2Kdkp-fleet: ${what} ${done}/${total}`);
  }) as Progress & { done(): void };
  report.done = () => {
    if (shown) write('\r\u001b[2K');
  };
  return report;
}
