import * as fs from 'fs';
import * as path from 'path';
import { Fleet } from './fleet';
import { Problem, show } from '../input/problems';

/**
 * Root-only reads (README, "Security"): every folder the fleet file names must resolve, after
 * following symbolic links, inside the folder that holds the fleet file, as kustomize's load
 * restriction keeps a kustomization inside its root. The one exception comes from the command
 * line (`--allow-read <folder>`, `FLEET_ALLOW_READ`), never from the fleet file: a pull request
 * that changes one line of fleet.yaml must not be able to copy files of the machine into dist/.
 */

/** The rule, as every refusal states it. */
export const ROOT_ONLY_RULE = "dkp-fleet reads only inside it (like kustomize's load restriction); "
  + 'to read another folder on purpose, pass --allow-read <folder> (or FLEET_ALLOW_READ)';

/** What a directory entry or file status is, for messages: `a symbolic link`, `a FIFO`, ... */
export function kindOf(entry: fs.Dirent | fs.Stats): string {
  if (entry.isSymbolicLink()) return 'a symbolic link';
  if (entry.isFile()) return 'a regular file';
  if (entry.isDirectory()) return 'a folder';
  if (entry.isFIFO()) return 'a FIFO';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice()) return 'a character device';
  if (entry.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** `is a FIFO`, `is a symbolic link`, ...: the start of a refusal of a file that is not regular. */
export function isWhat(entry: fs.Dirent | fs.Stats): string {
  return `is ${kindOf(entry)}`;
}

/** Reading a file: its text, or why it was refused (`is a FIFO; ...`, `cannot be read: EACCES`). */
export type FileRead = { readonly text: string } | { readonly refused: string };

export interface ReadOptions {
  /** Follow a symbolic link to a regular file (the fleet file: the user named it). @default false */
  readonly followLink?: boolean;
  /** The refusal of a file over the limit. @default - `is <n> bytes; files of at most <max> bytes are read` */
  readonly tooBig?: (bytes: number) => string;
  /** The rule stated after `is a FIFO; ` and the like. @default 'only regular files are read' */
  readonly rule?: string;
}

const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;

/**
 * Reads a regular file of at most `maxBytes`, refusing anything else before it is opened: a
 * symbolic link (unless `followLink`: the fleet file, which the user named), a FIFO (reading
 * one blocks forever), a socket, a device, a folder. The file is then opened without following
 * links and without blocking, and checked again, so a file swapped in between is not read.
 */
export function readRegularFile(file: string, maxBytes: number, options: ReadOptions = {}): FileRead {
  const tooBig = options.tooBig ?? ((bytes: number) => `is ${bytes} bytes; files of at most ${maxBytes} bytes are read`);
  const rule = options.rule ?? 'only regular files are read';
  let fd: number | undefined;
  try {
    const before = options.followLink ? fs.statSync(file) : fs.lstatSync(file);
    if (before.isDirectory() && options.followLink) return { refused: 'cannot be read: EISDIR' }; // as reading it would say
    if (!before.isFile()) return { refused: `${isWhat(before)}; ${rule}` };
    if (before.size > maxBytes) return { refused: tooBig(before.size) };
    fd = fs.openSync(file, fs.constants.O_RDONLY | O_NONBLOCK | (options.followLink ? 0 : O_NOFOLLOW));
    const opened = fs.fstatSync(fd);
    if (!opened.isFile() || opened.ino !== before.ino || opened.dev !== before.dev) {
      return { refused: `changed while it was opened (now ${kindOf(opened)}); ${rule}` };
    }
    if (opened.size > maxBytes) return { refused: tooBig(opened.size) };
    return { text: fs.readFileSync(fd, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') {
      // following links: a loop of them; not following: O_NOFOLLOW met a link swapped in after lstat
      return { refused: options.followLink ? `is a loop of symbolic links (ELOOP); ${rule}` : `is a symbolic link; ${rule}` };
    }
    return { refused: `cannot be read: ${code ?? (e as Error).message}` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** A location that could not be resolved, with the reason. */
class Unresolvable extends Error {
  public constructor(public readonly reason: string) {
    super(reason);
  }
}

/**
 * Where `p` really is: every symbolic link followed. A part that does not exist (yet) is kept
 * as written below its nearest existing folder, so a missing folder is still placed inside or
 * outside (the readers report it missing).
 *
 * @throws Unresolvable for a loop of links or a location that cannot be examined
 */
function realLocation(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      const parent = path.dirname(p);
      if (parent !== p) return path.join(realLocation(parent), path.basename(p));
    }
    if (code === 'ELOOP') throw new Unresolvable('is a loop of symbolic links (ELOOP)');
    throw new Unresolvable(`cannot be resolved (${code ?? (e as Error).message})`);
  }
}

/** Is `target` the folder `root` or inside it? Both are real, absolute locations. */
export function isInside(target: string, root: string): boolean {
  const rel = path.relative(root, target);
  return rel.split(path.sep)[0] !== '..' && !path.isAbsolute(rel); // the folder itself: rel is ''
}

/**
 * A named folder for messages, before links are followed: `./addons` when it is inside the fleet
 * file's folder as written, else the absolute path (`../x` and `/x` both show as where they point).
 * Only folders refused are shown, so never the fleet file's folder itself.
 */
function display(p: string, fleetDir: string): string {
  const rel = path.relative(fleetDir, p);
  return rel.split(path.sep)[0] === '..' || path.isAbsolute(rel) ? p : `./${rel.split(path.sep).join('/')}`;
}

/** The folders of the fleet file, with the field that names each. */
function namedFolders(fleet: Fleet): { readonly field: string; readonly dir: string }[] {
  const named = [
    { field: 'spec.catalog', dir: fleet.catalogDir },
    { field: 'spec.konvoy.addons.manifests', dir: fleet.konvoy.addonManifestsDir },
    { field: 'spec.konvoy.addons.values', dir: fleet.konvoy.addonValuesDir },
  ];
  return named.flatMap((n) => (n.dir === undefined ? [] : [{ field: n.field, dir: n.dir }]));
}

/**
 * Splits `FLEET_ALLOW_READ` into folders (separated by `path.delimiter`, `:` on Linux and macOS);
 * empty parts are ignored.
 */
export function allowReadFromEnv(value: string | undefined): string[] {
  return (value ?? '').split(path.delimiter).filter((s) => s !== '');
}

/**
 * Checks that every folder the fleet names resolves inside the fleet file's folder or inside
 * one of the folders of `allowRead` (from the command line: resolved against the working
 * folder). Reads nothing but the locations of links.
 *
 * @param fleetFile the fleet file, as given: its folder (symbolic links followed) is the root
 * @param allowRead folders the user allows on purpose; each must exist
 * @returns a problem per folder outside, or that cannot be resolved (a loop of links)
 */
export function checkFleetPaths(fleet: Fleet, fleetFile: string, allowRead: readonly string[] = []): Problem[] {
  const problems: Problem[] = [];
  const fleetDir = path.dirname(path.resolve(fleetFile));
  let root: string;
  try {
    root = realLocation(fleetDir);
  } catch (e) {
    if (!(e instanceof Unresolvable)) throw e;
    return [{ path: '(file)', message: `the fleet file's folder ${show(fleetDir)} ${e.reason}` }];
  }
  const allowed: string[] = [];
  for (const a of allowRead.filter((s) => s !== '')) {
    const dir = path.resolve(a);
    try {
      const real = fs.realpathSync(dir);
      if (!fs.statSync(real).isDirectory()) {
        problems.push({ path: '--allow-read', message: `${show(a)} is not a folder; --allow-read and FLEET_ALLOW_READ name folders` });
      } else {
        allowed.push(real);
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      problems.push({
        path: '--allow-read',
        message: `${show(a)} ${code === 'ELOOP' ? 'is a loop of symbolic links (ELOOP)' : `cannot be resolved (${code ?? (e as Error).message})`}; `
          + '--allow-read and FLEET_ALLOW_READ name existing folders',
      });
    }
  }
  for (const { field, dir } of namedFolders(fleet)) {
    const written = show(display(dir, fleetDir));
    let real: string;
    try {
      real = realLocation(dir);
    } catch (e) {
      if (!(e instanceof Unresolvable)) throw e;
      problems.push({
        path: field, message: `${written} ${e.reason}, so it cannot be shown to be inside the fleet file's folder ${root}: ${ROOT_ONLY_RULE}`,
      });
      continue;
    }
    if (isInside(real, root) || allowed.some((a) => isInside(real, a))) continue;
    problems.push({
      path: field,
      message: `${written} resolves to ${real}, outside the fleet file's folder ${root}: ${ROOT_ONLY_RULE}`,
    });
  }
  return problems;
}
