import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { MAX_INPUT_BYTES } from '../../src/input/yaml-source';
import { baseFleet, fingerprint, ROOT, tempDir, toYaml, writeFleet } from '../helpers';

/**
 * Root-only reads (issue 13, README "Security"), through the real process: every folder the
 * fleet file names must resolve inside the fleet file's folder, and only regular files are read
 * from them. Each escape is refused with exit code 1, names the field or file and the rule,
 * leaves an existing output folder byte-for-byte as it was, and nothing from outside the fleet's
 * folder (a marker string) appears in the output or on the terminal.
 */
const CLI = path.join(ROOT, 'lib', 'src', 'cli.js');
const MARKER = 'OUTSIDE-THE-FLEET-FOLDER-7f3a9c-DO-NOT-COPY';
const RULE = "dkp-fleet reads only inside it (like kustomize's load restriction); "
  + 'to read another folder on purpose, pass --allow-read <folder> (or FLEET_ALLOW_READ)';
const ADDON_DIR = path.join('examples', 'addons-azure', 'providers', 'azure', 'calico-cni-installation');

/** The environment of the tests' processes: never an allowance inherited from the machine. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { FLEET_ALLOW_READ: _, ...rest } = process.env;
  return { ...rest, DKP_FLEET_DEBUG: '', ...extra };
}

/** `dkp-fleet <command> --fleet <file> --out <folder> ...` in a fresh process; a read that blocks is killed by the timeout. */
function run(fleetFile: string, out: string, extra: readonly string[] = [], extraEnv: Record<string, string> = {}, command = 'synth') {
  return spawnSync(process.execPath, [CLI, command, '--fleet', fleetFile, '--out', out, ...extra], {
    cwd: path.dirname(fleetFile), encoding: 'utf8', env: env(extraEnv), timeout: 60000,
  });
}

interface Scene {
  /** Holds repo/, outside/ and out/. */
  readonly dir: string;
  /** The fleet's folder: fleet.yaml and its addon manifests (examples/addons-azure). */
  readonly repo: string;
  readonly fleetFile: string;
  /** A folder beside the fleet's: addon manifests holding the marker, and secret.yaml. */
  readonly outside: string;
  /** The output folder, written by a successful synthesis first. */
  readonly out: string;
  readonly before: Record<string, string>;
}

/** A fleet folder whose good fleet has been synthesized into out/, and a folder outside holding the marker. */
function scene(): Scene {
  const dir = tempDir();
  const repo = path.join(dir, 'repo');
  const outside = path.join(dir, 'outside');
  fs.mkdirSync(repo);
  const fleetFile = writeFleet(baseFleet(), repo);
  fs.cpSync(path.join(ROOT, 'examples', 'addons-azure'), path.join(outside, 'addons'), { recursive: true });
  fs.writeFileSync(path.join(outside, 'addons', 'providers', 'azure', 'calico-cni-installation', 'stolen.yaml'),
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stolen, namespace: kube-system}\ndata: {key: ${MARKER}}\n`);
  // plain data, not a Secret: the tests that allow the folder see it copied, whatever the Secret checks do
  fs.writeFileSync(path.join(outside, 'secret.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: leak}\ndata: {key: ${MARKER}}\n`);
  const out = path.join(dir, 'out');
  const first = run(fleetFile, out);
  expect(first.stderr).toMatch(/^dkp-fleet: wrote /);
  expect(first.status).toBe(0);
  return { dir, repo, fleetFile, outside, out, before: fingerprint(out) };
}

/** Rewrites the scene's fleet file with `change` applied to the base fleet. */
function changeFleet(s: Scene, change: (f: any) => void): void {
  const f = baseFleet();
  change(f);
  fs.writeFileSync(s.fleetFile, toYaml(f));
}

/** Every byte of every file under `dir`, as one string. */
function allText(dir: string): string {
  let text = '';
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) text += fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return text;
}

/** Exit code 1, one problem naming `where` and matching `message`, out/ unchanged, the marker nowhere. */
function expectRefused(s: Scene, r: ReturnType<typeof run>, where: string, message: RegExp | string): void {
  expect(r.error).toBeUndefined(); // not killed by the timeout: nothing blocked
  expect(r.stderr).toContain('was refused (1 problem); ');
  expect(r.stderr).toContain(`${where}: `);
  if (typeof message === 'string') expect(r.stderr).toContain(message);
  else expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(r.status).toBe(1);
  expect(fingerprint(s.out)).toEqual(s.before);
  expect(fs.readdirSync(s.dir).sort()).toEqual(['out', 'outside', 'repo']); // no staging leftovers
  expect(allText(s.out)).not.toContain(MARKER);
  expect(r.stdout).not.toContain(MARKER);
  expect(r.stderr).not.toContain(MARKER);
}

const mkfifo = (p: string) => {
  const r = spawnSync('mkfifo', [p], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mkfifo ${p} failed: ${r.stderr || r.error}`);
};

describe('root-only reads: the folders a fleet file names', () => {
  test('fails if spec.konvoy.addons.manifests is an absolute path outside the fleet file\'s folder', () => {
    const s = scene();
    const target = path.join(s.outside, 'addons');
    changeFleet(s, (f) => { f.spec.konvoy.addons.manifests = target; });
    const r = run(s.fleetFile, s.out);
    expectRefused(s, r, 'fleet.yaml:10: spec.konvoy.addons.manifests',
      `"${target}" resolves to ${target}, outside the fleet file's folder ${s.repo}: ${RULE}`);
  });

  test('fails if spec.konvoy.addons.manifests is /etc', () => {
    const s = scene();
    changeFleet(s, (f) => { f.spec.konvoy.addons.manifests = '/etc'; });
    expectRefused(s, run(s.fleetFile, s.out), 'fleet.yaml:10: spec.konvoy.addons.manifests',
      `"/etc" resolves to /etc, outside the fleet file's folder ${s.repo}: ${RULE}`);
  });

  test('fails if spec.konvoy.addons.manifests climbs out with ..', () => {
    const s = scene();
    changeFleet(s, (f) => { f.spec.konvoy.addons.manifests = '../outside/addons'; });
    expectRefused(s, run(s.fleetFile, s.out), 'fleet.yaml:10: spec.konvoy.addons.manifests',
      `"${path.join(s.outside, 'addons')}" resolves to ${path.join(s.outside, 'addons')}, outside the fleet file's folder ${s.repo}: ${RULE}`);
  });

  test('fails if spec.konvoy.addons.manifests is a symbolic link inside the fleet file\'s folder to a folder outside', () => {
    const s = scene();
    fs.symlinkSync(path.join(s.outside, 'addons'), path.join(s.repo, 'addons'));
    changeFleet(s, (f) => { f.spec.konvoy.addons.manifests = './addons'; });
    expectRefused(s, run(s.fleetFile, s.out), 'fleet.yaml:10: spec.konvoy.addons.manifests',
      `"./addons" resolves to ${path.join(s.outside, 'addons')}, outside the fleet file's folder ${s.repo}: ${RULE}`);
  });

  test('fails if a folder on the way is a symbolic link outside (examples/ -> outside/)', () => {
    const s = scene();
    fs.mkdirSync(path.join(s.outside, 'examples'));
    fs.renameSync(path.join(s.outside, 'addons'), path.join(s.outside, 'examples', 'addons-azure'));
    fs.rmSync(path.join(s.repo, 'examples'), { recursive: true });
    fs.symlinkSync(path.join(s.outside, 'examples'), path.join(s.repo, 'examples'));
    expectRefused(s, run(s.fleetFile, s.out), 'fleet.yaml:10: spec.konvoy.addons.manifests',
      `"./examples/addons-azure" resolves to ${path.join(s.outside, 'examples', 'addons-azure')}, outside the fleet file's folder`);
  });

  test('fails if spec.konvoy.addons.values or spec.catalog lead outside, each named', () => {
    const s = scene();
    fs.mkdirSync(path.join(s.outside, 'releases'));
    changeFleet(s, (f) => {
      f.spec.catalog = '../outside/releases';
      f.spec.konvoy.addons.values = '../outside';
    });
    const r = run(s.fleetFile, s.out);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('was refused (2 problems); ');
    const releases = path.join(s.outside, 'releases');
    expect(r.stderr).toContain(`spec.catalog: "${releases}" resolves to ${releases}, outside the fleet file's folder ${s.repo}: ${RULE}`);
    expect(r.stderr).toContain(`spec.konvoy.addons.values: "${s.outside}" resolves to ${s.outside}, outside the fleet file's folder ${s.repo}: ${RULE}`);
    expect(fingerprint(s.out)).toEqual(s.before);
  });

  test('fails if the named folder is a loop of symbolic links, as a problem, not a stack trace', () => {
    const s = scene();
    fs.symlinkSync('b', path.join(s.repo, 'a'));
    fs.symlinkSync('a', path.join(s.repo, 'b'));
    changeFleet(s, (f) => { f.spec.konvoy.addons.manifests = './a'; });
    expectRefused(s, run(s.fleetFile, s.out), 'fleet.yaml:10: spec.konvoy.addons.manifests',
      '"./a" is a loop of symbolic links (ELOOP), so it cannot be shown to be inside');
    expect(run(s.fleetFile, s.out).stderr).toContain(RULE);
  });

  test('fails if the plan and check commands are given a folder outside, too', () => {
    const s = scene();
    changeFleet(s, (f) => { f.spec.konvoy.addons.manifests = '../outside/addons'; });
    for (const command of ['plan', 'check']) {
      const r = run(s.fleetFile, s.out, [], {}, command);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`spec.konvoy.addons.manifests: "${path.join(s.outside, 'addons')}" resolves to ${path.join(s.outside, 'addons')}`);
      expect(r.stdout).not.toContain(MARKER);
    }
    expect(fingerprint(s.out)).toEqual(s.before);
  });
});

describe('root-only reads: only regular files', () => {
  test('fails if a FIFO stands where an addon manifest is expected, without opening it', () => {
    const s = scene();
    const fifo = path.join(s.repo, ADDON_DIR, 'evil.yaml');
    mkfifo(fifo);
    expectRefused(s, run(s.fleetFile, s.out), `${fifo}: (file)`,
      'is a FIFO; expected only YAML manifest files (*.yaml, *.yml) in an addon folder; '
      + 'dkp-fleet does not follow links or read special files in addon folders');
  });

  test('fails if an addon folder holds a symbolic link to a file outside, and its content appears nowhere', () => {
    const s = scene();
    const link = path.join(s.repo, ADDON_DIR, 'leak.yaml');
    fs.symlinkSync(path.join(s.outside, 'secret.yaml'), link);
    expectRefused(s, run(s.fleetFile, s.out), `${link}: (file)`, 'is a symbolic link; expected only YAML manifest files (*.yaml, *.yml) in an addon folder; '
      + 'dkp-fleet does not follow links or read special files in addon folders');
  });

  test('fails if an addon folder is a symbolic link to a folder outside', () => {
    const s = scene();
    const link = path.join(s.repo, 'examples', 'addons-azure', 'providers', 'azure', 'stolen');
    fs.symlinkSync(path.join(s.outside, 'addons', 'providers', 'azure', 'calico-cni-installation'), link);
    expectRefused(s, run(s.fleetFile, s.out), `${link}: (file)`, 'is a symbolic link; expected a folder named after an addon');
  });

  test('fails if providers/ of the addon folder is a symbolic link to a folder outside', () => {
    const s = scene();
    const providers = path.join(s.repo, 'examples', 'addons-azure', 'providers');
    fs.rmSync(providers, { recursive: true });
    fs.symlinkSync(path.join(s.outside, 'addons', 'providers'), providers);
    expectRefused(s, run(s.fleetFile, s.out), `${providers}: (file)`, 'is a symbolic link; expected a folder of provider folders');
  });

  test('fails if a symbolic link points to a device (/dev/zero) where a manifest is expected', () => {
    const s = scene();
    const link = path.join(s.repo, ADDON_DIR, 'zero.yaml');
    fs.symlinkSync('/dev/zero', link);
    expectRefused(s, run(s.fleetFile, s.out), `${link}: (file)`, 'is a symbolic link; ');
  });

  test(`fails if an addon manifest is larger than ${MAX_INPUT_BYTES} bytes, the fleet files' limit`, () => {
    const s = scene();
    const big = path.join(s.repo, ADDON_DIR, 'big.yaml');
    fs.writeFileSync(big, `# ${'x'.repeat(MAX_INPUT_BYTES)}\n`);
    expectRefused(s, run(s.fleetFile, s.out), `${big}: (file)`, `is ${MAX_INPUT_BYTES + 3} bytes; files of at most ${MAX_INPUT_BYTES} bytes are read`);
  });

  test('fails if a FIFO named 2.2.0.yaml stands in the spec.catalog folder, without opening it', () => {
    const s = scene();
    fs.mkdirSync(path.join(s.repo, 'releases'));
    const fifo = path.join(s.repo, 'releases', '2.2.0.yaml');
    mkfifo(fifo);
    changeFleet(s, (f) => { f.spec.catalog = './releases'; });
    expectRefused(s, run(s.fleetFile, s.out), `${fifo}: (file)`, 'is a FIFO; a release file must be a regular file (links are not followed)');
  });

  test('fails if a release file of spec.catalog is a symbolic link to a file outside', () => {
    const s = scene();
    fs.mkdirSync(path.join(s.repo, 'releases'));
    const link = path.join(s.repo, 'releases', '2.2.0.yaml');
    fs.symlinkSync(path.join(s.outside, 'secret.yaml'), link);
    changeFleet(s, (f) => { f.spec.catalog = './releases'; });
    expectRefused(s, run(s.fleetFile, s.out), `${link}: (file)`, 'is a symbolic link; a release file must be a regular file');
  });

  test('fails if the fleet file is a FIFO or a device, without opening it', () => {
    const s = scene();
    const fifo = path.join(s.repo, 'fifo.yaml');
    mkfifo(fifo);
    expectRefused(s, run(fifo, s.out), `${fifo}: (file)`,
      'is a FIFO; a fleet file must be a regular file (or a link to one); a FIFO or device is never opened');
    expectRefused(s, run('/dev/zero', s.out), '/dev/zero: (file)', 'is a character device; a fleet file must be a regular file');
  });

  test('reads a fleet file that is a symbolic link to a regular file (the user named it)', () => {
    const s = scene();
    const link = path.join(s.repo, 'link.yaml');
    fs.symlinkSync(s.fleetFile, link);
    const r = run(link, s.out);
    expect(r.stderr).toMatch(/^dkp-fleet: wrote /);
    expect(r.status).toBe(0);
    expect(fingerprint(s.out)).toEqual(s.before);
  });
});

describe('root-only reads: the exception comes from the command line only', () => {
  /** The fleet reads its addon manifests from outside/addons, which hold the marker. */
  function outsideScene(): Scene {
    const s = scene();
    changeFleet(s, (f) => { f.spec.konvoy.addons.manifests = '../outside/addons'; });
    return s;
  }

  test('--allow-read <folder> lets the fleet read inside that folder', () => {
    const s = outsideScene();
    const r = run(s.fleetFile, s.out, ['--allow-read', s.outside]);
    expect(r.stderr).toMatch(/^dkp-fleet: wrote /);
    expect(r.status).toBe(0);
    expect(allText(s.out)).toContain(MARKER); // it was read: the allowance is real
  });

  test('--allow-read may be given more than once, and is resolved against the working folder', () => {
    const s = outsideScene();
    const other = path.join(s.dir, 'other');
    fs.mkdirSync(other);
    const r = run(s.fleetFile, s.out, ['--allow-read', '../other', '--allow-read', '../outside/addons']);
    expect(r.stderr).toMatch(/^dkp-fleet: wrote /);
    expect(r.status).toBe(0);
  });

  test('FLEET_ALLOW_READ lets the fleet read inside its folders (separated by path.delimiter)', () => {
    const s = outsideScene();
    const other = path.join(s.dir, 'other');
    fs.mkdirSync(other);
    const r = run(s.fleetFile, s.out, [], { FLEET_ALLOW_READ: [other, path.join(s.outside, 'addons')].join(path.delimiter) });
    expect(r.stderr).toMatch(/^dkp-fleet: wrote /);
    expect(r.status).toBe(0);
    expect(allText(s.out)).toContain(MARKER);
  });

  test('fails if --allow-read names another folder: only the named folder and what is inside it are allowed', () => {
    const s = outsideScene();
    const sibling = `${s.outside}-not`; // a name that starts like outside/ is not inside it
    fs.mkdirSync(sibling);
    for (const allowed of [sibling, path.join(s.outside, 'addons', 'providers'), path.join(s.repo)]) {
      const r = run(s.fleetFile, s.out, ['--allow-read', allowed]);
      expect(r.status).toBe(1);
      const addons = path.join(s.outside, 'addons');
      expect(r.stderr).toContain(`spec.konvoy.addons.manifests: "${addons}" resolves to ${addons}, outside the fleet file's folder ${s.repo}`);
      expect(fingerprint(s.out)).toEqual(s.before);
      expect(allText(s.out)).not.toContain(MARKER);
    }
  });

  test('fails if FLEET_ALLOW_READ names another folder', () => {
    const s = outsideScene();
    const sibling = `${s.outside}-not`;
    fs.mkdirSync(sibling);
    const r = run(s.fleetFile, s.out, [], { FLEET_ALLOW_READ: sibling });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`resolves to ${path.join(s.outside, 'addons')}, outside the fleet file's folder ${s.repo}: ${RULE}`);
    expect(fingerprint(s.out)).toEqual(s.before);
  });

  test('fails if --allow-read names a folder that does not exist', () => {
    const s = outsideScene();
    const r = run(s.fleetFile, s.out, ['--allow-read', path.join(s.dir, 'nowhere')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`--allow-read: "${path.join(s.dir, 'nowhere')}" cannot be resolved (ENOENT); `
      + '--allow-read and FLEET_ALLOW_READ name existing folders');
    expect(fingerprint(s.out)).toEqual(s.before);
  });

  test('fails if the fleet file tries to grant the exception itself: there is no such field', () => {
    const s = outsideScene();
    for (const grant of [(f: any) => { f.spec.allowRead = [s.outside]; }, (f: any) => { f.spec.konvoy.addons.allowRead = [s.outside]; }]) {
      changeFleet(s, (f) => { f.spec.konvoy.addons.manifests = '../outside/addons'; grant(f); });
      const r = run(s.fleetFile, s.out);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/allowRead: unknown field/);
      expect(fingerprint(s.out)).toEqual(s.before);
      expect(allText(s.out)).not.toContain(MARKER);
    }
  });

  test('the allowance does not open the addon folders to links: a link inside an allowed folder is still refused', () => {
    const s = outsideScene();
    const link = path.join(s.outside, 'addons', 'providers', 'azure', 'calico-cni-installation', 'leak.yaml');
    fs.symlinkSync(path.join(s.outside, 'secret.yaml'), link);
    const r = run(s.fleetFile, s.out, ['--allow-read', s.outside]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${link}: (file): is a symbolic link; `);
    expect(fingerprint(s.out)).toEqual(s.before);
  });
});
