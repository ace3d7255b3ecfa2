import * as fs from 'fs';
import * as path from 'path';
import { OutputFile } from './dist-files';
import { NO_PROGRESS, Progress } from './progress';

const STAGING = '.dkp-fleet-staging-';
const PREVIOUS = '.dkp-fleet-previous-';

/**
 * Replaces `outdir` with exactly `files`, or leaves it as it was.
 *
 * The files are written to a staging folder next to `outdir` (same file system), which is
 * then swapped in with two renames: the old folder is moved aside, the new one moved in, the
 * old one removed. Until the first rename nothing of `outdir` has changed; if the second
 * rename fails the old folder is moved back. A run killed between the two renames leaves the
 * previous output in `.dkp-fleet-previous-*`, which the next run puts back before anything else.
 */
export function writeAtomically(outdir: string, files: readonly OutputFile[], progress: Progress = NO_PROGRESS): void {
  const target = path.resolve(outdir);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  recoverInterruptedSwap(target);
  const staging = fs.mkdtempSync(path.join(parent, `${STAGING}${path.basename(target)}-`));
  try {
    const dirs = new Set<string>();
    for (const [i, f] of files.entries()) {
      progress('writing files', i + 1, files.length);
      const d = path.dirname(f.path);
      if (!dirs.has(d)) {
        fs.mkdirSync(path.join(staging, d), { recursive: true });
        dirs.add(d);
      }
      fs.writeFileSync(path.join(staging, f.path), f.content);
    }
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  let previous: string | undefined;
  if (fs.existsSync(target)) {
    previous = path.join(parent, `${PREVIOUS}${path.basename(target)}-${path.basename(staging).slice(-6)}`);
    fs.renameSync(target, previous);
  }
  try {
    fs.renameSync(staging, target);
  } catch (e) {
    if (previous !== undefined) fs.renameSync(previous, target);
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  if (previous !== undefined) {
    fs.rmSync(previous, { recursive: true, force: true });
  }
}

/**
 * Puts back an output folder a killed run had moved aside (or drops it, when the new one was
 * already in place). Two runs on the same output folder at once are not supported.
 */
function recoverInterruptedSwap(target: string): void {
  const parent = path.dirname(target);
  const base = path.basename(target);
  const previous = fs.readdirSync(parent).filter((e) => e.startsWith(`${PREVIOUS}${base}-`)).sort();
  if (previous.length === 0) return;
  if (!fs.existsSync(target)) {
    fs.renameSync(path.join(parent, previous.pop()!), target);
  }
  for (const p of previous) fs.rmSync(path.join(parent, p), { recursive: true, force: true });
}
