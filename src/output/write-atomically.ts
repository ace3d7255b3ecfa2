import * as fs from 'fs';
import * as path from 'path';
import { OutputFile } from './dist-files';

const STAGING = '.dkp-fleet-staging-';
const PREVIOUS = '.dkp-fleet-previous-';

/**
 * Replaces `outdir` with exactly `files`, or leaves it as it was.
 *
 * The files are written to a staging folder next to `outdir` (same file system), as `files`
 * yields them, so they need not all be in memory at once. `beforeSwap` then sees every path
 * written and may still refuse (by throwing). The staging folder is swapped in with two
 * renames: the old folder is moved aside, the new one moved in, the old one removed. Until the
 * first rename nothing of `outdir` has changed; anything thrown before it or by it (by `files`,
 * `beforeSwap` or the file system) removes the staging folder. If the second rename fails the
 * old folder is moved back. A run killed between the two renames leaves the previous output in
 * `.dkp-fleet-previous-*`, which the next run puts back before anything else.
 *
 * @returns how many files were written
 */
export function writeAtomically(outdir: string, files: Iterable<OutputFile>, beforeSwap: (paths: readonly string[]) => void = () => undefined): number {
  const target = path.resolve(outdir);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  recoverInterruptedSwap(target);
  const staging = fs.mkdtempSync(path.join(parent, `${STAGING}${path.basename(target)}-`));
  const written: string[] = [];
  try {
    const dirs = new Set<string>();
    for (const f of files) {
      const d = path.dirname(f.path);
      if (!dirs.has(d)) {
        fs.mkdirSync(path.join(staging, d), { recursive: true });
        dirs.add(d);
      }
      fs.writeFileSync(path.join(staging, f.path), f.content, { flag: 'wx' }); // wx: a path written twice is a bug, never a silent overwrite
      written.push(f.path);
    }
    beforeSwap(written);
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  let previous: string | undefined;
  if (fs.existsSync(target)) {
    previous = path.join(parent, `${PREVIOUS}${path.basename(target)}-${path.basename(staging).slice(-6)}`);
    try {
      fs.renameSync(target, previous);
    } catch (e) {
      fs.rmSync(staging, { recursive: true, force: true }); // the old folder never moved: nothing to put back
      throw e;
    }
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
  return written.length;
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
