import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { allowReadFromEnv, checkFleetPaths, isInside, kindOf, readRegularFile, ROOT_ONLY_RULE } from '../../src/fleet/fleet-paths';
import { parseFleet } from '../../src/fleet/load-fleet';
import { formatProblem } from '../../src/input/problems';
import { baseFleet, tempDir, toYaml } from '../helpers';

/** A folder with repo/ (the fleet's folder, holding addons/) and outside/ beside it. */
function folders() {
  const dir = fs.realpathSync(tempDir());
  const repo = path.join(dir, 'repo');
  const outside = path.join(dir, 'outside');
  fs.mkdirSync(path.join(repo, 'addons'), { recursive: true });
  fs.mkdirSync(outside);
  return { dir, repo, outside, fleetFile: path.join(repo, 'fleet.yaml') };
}

/** The problems of a fleet whose spec.catalog and addon folders are set by `paths`, as printed. */
function check(fleetFile: string, paths: { catalog?: string; manifests?: string; values?: string }, allowRead: string[] = []): string[] {
  const f = baseFleet();
  delete f.spec.konvoy.addons.manifests;
  if (paths.catalog !== undefined) f.spec.catalog = paths.catalog;
  if (paths.manifests !== undefined) f.spec.konvoy.addons.manifests = paths.manifests;
  if (paths.values !== undefined) f.spec.konvoy.addons.values = paths.values;
  const { fleet } = parseFleet(toYaml(f), fleetFile);
  return checkFleetPaths(fleet, fleetFile, allowRead).map(formatProblem);
}

const outsideMessage = (field: string, shown: string, real: string, root: string) =>
  `${field}: ${JSON.stringify(shown)} resolves to ${real}, outside the fleet file's folder ${root}: ${ROOT_ONLY_RULE}`;

describe('checkFleetPaths', () => {
  test('accepts folders inside the fleet file\'s folder, the folder itself, and a fleet naming none', () => {
    const { repo, fleetFile } = folders();
    fs.mkdirSync(path.join(repo, 'releases'));
    expect(check(fleetFile, {})).toEqual([]);
    expect(check(fleetFile, { catalog: './releases', manifests: 'addons', values: '.' })).toEqual([]);
    expect(check(fleetFile, { manifests: `${repo}/addons` })).toEqual([]); // absolute, but inside
    expect(check(fleetFile, { manifests: './addons/../addons' })).toEqual([]);
  });

  test('accepts a link inside the fleet file\'s folder to another folder inside it', () => {
    const { repo, fleetFile } = folders();
    fs.symlinkSync(path.join(repo, 'addons'), path.join(repo, 'link'));
    expect(check(fleetFile, { manifests: './link' })).toEqual([]);
  });

  test('leaves a missing folder inside to the readers (they report it missing)', () => {
    const { fleetFile } = folders();
    expect(check(fleetFile, { catalog: './no-such-catalog', values: './no/such/values' })).toEqual([]);
  });

  test('fails if a folder is outside: absolute, .., missing but outside, each field named', () => {
    const { dir, repo, outside, fleetFile } = folders();
    expect(check(fleetFile, { manifests: '/etc' })).toEqual([outsideMessage('spec.konvoy.addons.manifests', '/etc', '/etc', repo)]);
    expect(check(fleetFile, { catalog: '../outside', values: outside })).toEqual([
      outsideMessage('spec.catalog', outside, outside, repo),
      outsideMessage('spec.konvoy.addons.values', outside, outside, repo),
    ]);
    expect(check(fleetFile, { manifests: '../nowhere/addons' }))
      .toEqual([outsideMessage('spec.konvoy.addons.manifests', path.join(dir, 'nowhere', 'addons'), path.join(dir, 'nowhere', 'addons'), repo)]);
    expect(check(fleetFile, { manifests: '..' })).toEqual([outsideMessage('spec.konvoy.addons.manifests', dir, dir, repo)]);
  });

  test('says how to read another folder on purpose, in words a user can act on', () => {
    const { fleetFile } = folders();
    expect(check(fleetFile, { manifests: '../outside' })).toEqual([expect.stringMatching(
      /: dkp-fleet reads only inside it \(like kustomize's load restriction\); to read another folder on purpose, pass --allow-read <folder> \(or FLEET_ALLOW_READ\)$/,
    )]);
  });

  test('fails if a folder whose name starts like the fleet file\'s folder is beside it', () => {
    const { repo, fleetFile } = folders();
    fs.mkdirSync(`${repo}-other`);
    expect(check(fleetFile, { manifests: `../repo-other` })).toEqual([outsideMessage('spec.konvoy.addons.manifests', `${repo}-other`, `${repo}-other`, repo)]);
  });

  test('fails if a link inside leads outside, on the folder or on the way to it', () => {
    const { repo, outside, fleetFile } = folders();
    fs.mkdirSync(path.join(outside, 'addons'));
    fs.symlinkSync(outside, path.join(repo, 'out'));
    expect(check(fleetFile, { manifests: './out' })).toEqual([outsideMessage('spec.konvoy.addons.manifests', './out', outside, repo)]);
    expect(check(fleetFile, { manifests: './out/addons' }))
      .toEqual([outsideMessage('spec.konvoy.addons.manifests', './out/addons', path.join(outside, 'addons'), repo)]);
    expect(check(fleetFile, { manifests: './out/missing' }))
      .toEqual([outsideMessage('spec.konvoy.addons.manifests', './out/missing', path.join(outside, 'missing'), repo)]);
  });

  test('fails if the folder is a loop of links, as a problem', () => {
    const { repo, fleetFile } = folders();
    fs.symlinkSync('b', path.join(repo, 'a'));
    fs.symlinkSync('a', path.join(repo, 'b'));
    for (const manifests of ['./a', './a/addons']) {
      expect(check(fleetFile, { manifests })).toEqual([`spec.konvoy.addons.manifests: ${JSON.stringify(manifests)} is a loop of symbolic links (ELOOP), `
        + `so it cannot be shown to be inside the fleet file's folder ${repo}: ${ROOT_ONLY_RULE}`]);
    }
  });

  test('fails if the fleet file\'s own folder is a loop of links, naming it', () => {
    const { dir } = folders();
    fs.symlinkSync('loop', path.join(dir, 'loop'));
    expect(check(path.join(dir, 'loop', 'fleet.yaml'), { manifests: './addons' }))
      .toEqual([`(file): the fleet file's folder ${JSON.stringify(path.join(dir, 'loop'))} is a loop of symbolic links (ELOOP)`]);
  });

  test('resolves the fleet file\'s folder through links: a fleet in a linked folder reads its own folders', () => {
    const { dir, repo } = folders();
    fs.symlinkSync(repo, path.join(dir, 'linked'));
    expect(check(path.join(dir, 'linked', 'fleet.yaml'), { manifests: './addons' })).toEqual([]);
    expect(check(path.join(dir, 'linked', 'fleet.yaml'), { manifests: '../outside' }))
      .toEqual([outsideMessage('spec.konvoy.addons.manifests', path.join(dir, 'outside'), path.join(dir, 'outside'), repo)]);
  });

  test('allowRead allows exactly the named folders and what is inside them', () => {
    const { dir, repo, outside, fleetFile } = folders();
    fs.mkdirSync(path.join(outside, 'addons'));
    fs.mkdirSync(`${outside}-not`);
    expect(check(fleetFile, { manifests: '../outside/addons' }, [outside])).toEqual([]);
    expect(check(fleetFile, { manifests: '../outside' }, [outside])).toEqual([]);
    expect(check(fleetFile, { manifests: '../outside' }, [path.join(outside, 'addons')]))
      .toEqual([outsideMessage('spec.konvoy.addons.manifests', outside, outside, repo)]);
    expect(check(fleetFile, { manifests: '../outside/addons' }, [`${outside}-not`]))
      .toEqual([outsideMessage('spec.konvoy.addons.manifests', path.join(outside, 'addons'), path.join(outside, 'addons'), repo)]);
    expect(check(fleetFile, { catalog: '../outside', manifests: '/etc' }, [outside, '/tmp/../etc'])).toEqual([]);
    // a link to an allowed folder is judged by where it leads
    fs.symlinkSync(outside, path.join(repo, 'shared'));
    expect(check(fleetFile, { manifests: './shared/addons' }, [outside])).toEqual([]);
    // allowing a link allows where it leads
    fs.symlinkSync(outside, path.join(dir, 'outside-link'));
    expect(check(fleetFile, { manifests: '../outside/addons' }, [path.join(dir, 'outside-link')])).toEqual([]);
  });

  test('an empty allowRead entry allows nothing: not the working folder it would resolve to', () => {
    const { outside, fleetFile } = folders();
    const cwd = process.cwd();
    process.chdir(outside);
    try {
      expect(check(fleetFile, { manifests: '../outside' }, ['']))
        .toEqual([outsideMessage('spec.konvoy.addons.manifests', outside, outside, path.dirname(fleetFile))]);
    } finally {
      process.chdir(cwd);
    }
  });

  test('fails if an allowRead folder does not exist or is not a folder', () => {
    const { dir, fleetFile } = folders();
    fs.writeFileSync(path.join(dir, 'file'), '');
    expect(check(fleetFile, {}, [path.join(dir, 'nowhere'), path.join(dir, 'file'), ''])).toEqual([
      `--allow-read: ${JSON.stringify(path.join(dir, 'nowhere'))} cannot be resolved (ENOENT); --allow-read and FLEET_ALLOW_READ name existing folders`,
      `--allow-read: ${JSON.stringify(path.join(dir, 'file'))} is not a folder; --allow-read and FLEET_ALLOW_READ name folders`,
    ]);
  });
});

describe('allowReadFromEnv', () => {
  test('splits FLEET_ALLOW_READ by path.delimiter and drops empty parts', () => {
    expect(allowReadFromEnv(undefined)).toEqual([]);
    expect(allowReadFromEnv('')).toEqual([]);
    expect(allowReadFromEnv(['/a', '', '/b c', ''].join(path.delimiter))).toEqual(['/a', '/b c']);
  });
});

describe('isInside', () => {
  test('is true for the folder and below, false beside and above', () => {
    expect(isInside('/repo', '/repo')).toBe(true);
    expect(isInside('/repo/a/b', '/repo')).toBe(true);
    expect(isInside('/repo/..a', '/repo')).toBe(true); // a name that starts with two dots
    expect(isInside('/repo-other', '/repo')).toBe(false);
    expect(isInside('/', '/repo')).toBe(false);
    expect(isInside('/etc', '/repo')).toBe(false);
    expect(isInside('/etc', '/')).toBe(true);
  });
});

describe('readRegularFile', () => {
  const mkfifo = (p: string) => expect(spawnSync('mkfifo', [p]).status).toBe(0);

  test('reads a regular file', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'a: 1\n');
    expect(readRegularFile(path.join(dir, 'a.yaml'), 100)).toEqual({ text: 'a: 1\n' });
  });

  test('fails if the file is a FIFO, a link, a device or a folder, without opening it', () => {
    const dir = tempDir();
    mkfifo(path.join(dir, 'fifo.yaml'));
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'a: 1\n');
    fs.symlinkSync(path.join(dir, 'a.yaml'), path.join(dir, 'link.yaml'));
    expect(readRegularFile(path.join(dir, 'fifo.yaml'), 100)).toEqual({ refused: 'is a FIFO; only regular files are read' });
    expect(readRegularFile(path.join(dir, 'link.yaml'), 100, { rule: 'no links' })).toEqual({ refused: 'is a symbolic link; no links' });
    expect(readRegularFile('/dev/null', 100)).toEqual({ refused: 'is a character device; only regular files are read' });
    expect(readRegularFile(dir, 100)).toEqual({ refused: 'is a folder; only regular files are read' });
    expect(readRegularFile(path.join(dir, 'missing.yaml'), 100)).toEqual({ refused: 'cannot be read: ENOENT' });
  });

  test('follows a link to a regular file when asked (the fleet file), never to a FIFO', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'a: 1\n');
    fs.symlinkSync(path.join(dir, 'a.yaml'), path.join(dir, 'link.yaml'));
    mkfifo(path.join(dir, 'fifo'));
    fs.symlinkSync(path.join(dir, 'fifo'), path.join(dir, 'fifo-link.yaml'));
    expect(readRegularFile(path.join(dir, 'link.yaml'), 100, { followLink: true })).toEqual({ text: 'a: 1\n' });
    expect(readRegularFile(path.join(dir, 'fifo-link.yaml'), 100, { followLink: true })).toEqual({ refused: 'is a FIFO; only regular files are read' });
  });

  test('fails if the file is larger than the limit, before reading it', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'big.yaml'), 'x'.repeat(101));
    expect(readRegularFile(path.join(dir, 'big.yaml'), 100)).toEqual({ refused: 'is 101 bytes; files of at most 100 bytes are read' });
    expect(readRegularFile(path.join(dir, 'big.yaml'), 100, { tooBig: (n) => `too big: ${n}` })).toEqual({ refused: 'too big: 101' });
  });

  test('a file of exactly the limit is read', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'full.yaml'), 'x'.repeat(100));
    expect(readRegularFile(path.join(dir, 'full.yaml'), 100)).toEqual({ text: 'x'.repeat(100) });
  });

  describe('a file that changes between its check and its opening', () => {
    /** The real fs module, whose fstatSync the reader calls (a test file's own import is a copy of its bindings). */
    const realFs: typeof fs = jest.requireActual('fs');
    /** Makes the reader's fstat of the opened file report `change` over the truth, as if the file changed in between. */
    const openedAs = (change: Partial<fs.Stats>) => {
      const fstat = realFs.fstatSync.bind(realFs);
      jest.spyOn(realFs, 'fstatSync').mockImplementation(((fd: number) => {
        const s = fstat(fd);
        return Object.assign(Object.create(Object.getPrototypeOf(s)), s, change);
      }) as typeof fs.fstatSync);
    };
    afterEach(() => jest.restoreAllMocks());
    /** A new regular file of five bytes, `a: 1` and a newline. */
    const smallFile = () => {
      const file = path.join(tempDir(), 'a.yaml');
      fs.writeFileSync(file, 'a: 1\n');
      return file;
    };

    test.each([
      ['another file swapped in (another inode)', (s: fs.Stats) => ({ ino: s.ino + 1 })],
      ['a file of another file system mounted over it (another device)', (s: fs.Stats) => ({ dev: s.dev + 1 })],
    ])('fails if it is %s', (_what, change) => {
      const file = smallFile();
      openedAs(change(fs.statSync(file)));
      expect(readRegularFile(file, 100)).toEqual({ refused: 'changed while it was opened (now a regular file); only regular files are read' });
    });

    test('fails if it grew past the limit, with its new size', () => {
      const file = smallFile();
      openedAs({ size: 5000 });
      expect(readRegularFile(file, 100)).toEqual({ refused: 'is 5000 bytes; files of at most 100 bytes are read' });
    });

    test('reads it when only its times changed (the same file)', () => {
      const file = smallFile();
      openedAs({ mtimeMs: 1 });
      expect(readRegularFile(file, 100)).toEqual({ text: 'a: 1\n' });
    });
  });

  test('kindOf names a block device, and says "not a regular file" for an entry of no known kind', () => {
    const entry = (kind: string) => Object.fromEntries(['isSymbolicLink', 'isFile', 'isDirectory', 'isFIFO', 'isSocket', 'isCharacterDevice', 'isBlockDevice']
      .map((m) => [m, () => m === kind])) as unknown as fs.Dirent;
    expect(kindOf(entry('isBlockDevice'))).toBe('a block device');
    expect(kindOf(entry('none'))).toBe('not a regular file');
  });

  test('kindOf names what an entry is', () => {
    const dir = tempDir();
    mkfifo(path.join(dir, 'fifo'));
    fs.symlinkSync('nowhere', path.join(dir, 'link'));
    expect(kindOf(fs.lstatSync(path.join(dir, 'fifo')))).toBe('a FIFO');
    expect(kindOf(fs.lstatSync(path.join(dir, 'link')))).toBe('a symbolic link');
    expect(kindOf(fs.lstatSync(dir))).toBe('a folder');
    expect(kindOf(fs.lstatSync('/dev/null'))).toBe('a character device');
    expect(kindOf(fs.lstatSync(path.join(dir, '..', path.basename(dir))))).toBe('a folder');
  });

  test('kindOf names a socket, and a file that is none of the kinds it knows', async () => {
    const socket = path.join(tempDir(), 's.sock');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      expect(kindOf(fs.lstatSync(socket))).toBe('a socket');
      expect(readRegularFile(socket, 100)).toEqual({ refused: 'is a socket; only regular files are read' });
    } finally {
      server.close();
    }
    const none = { isSymbolicLink: () => false, isFile: () => false, isDirectory: () => false, isFIFO: () => false, isSocket: () => false,
      isCharacterDevice: () => false, isBlockDevice: () => false } as unknown as fs.Stats;
    expect(kindOf(none)).toBe('not a regular file');
  });

  test('fails if a followed link is a loop of links, naming the loop', () => {
    const dir = tempDir();
    fs.symlinkSync(path.join(dir, 'b.yaml'), path.join(dir, 'a.yaml'));
    fs.symlinkSync(path.join(dir, 'a.yaml'), path.join(dir, 'b.yaml'));
    expect(readRegularFile(path.join(dir, 'a.yaml'), 100, { followLink: true, rule: 'R' })).toEqual({ refused: 'is a loop of symbolic links (ELOOP); R' });
  });
});
