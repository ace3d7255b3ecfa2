import { performance } from 'perf_hooks';

/** What a benchmark child process reports on its last stdout line. */
export interface Measurement {
  /** Wall time of the measured work, in milliseconds. */
  readonly ms: number;
  /** CPU time (user + system) of the measured work, in milliseconds. */
  readonly cpuMs: number;
  /** Milliseconds from process start to the beginning of the work: Node start and module loading. */
  readonly startupMs: number;
  /** Peak resident set size of the process, in bytes. */
  readonly peakRss: number;
  /** Files written. */
  readonly files: number;
  /** Bytes written. */
  readonly bytes: number;
}

/**
 * Times `work` in this process and prints the measurement as JSON (the parent reads the last line).
 *
 * @param startupMs when the process was ready to work (its modules loaded). @default now
 */
export function measure(work: () => { files: number; bytes: number }, startupMs: number = performance.now()): void {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { files, bytes } = work();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const m: Measurement = { ms, cpuMs: (cpu.user + cpu.system) / 1000, startupMs, peakRss: process.resourceUsage().maxRSS * 1024, files, bytes };
  process.stdout.write(`${JSON.stringify(m)}\n`);
}
