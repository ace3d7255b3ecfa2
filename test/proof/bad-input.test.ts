import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { FleetError, formatProblem } from '../../src/input/problems';
import { MAX_INPUT_BYTES, MAX_YAML_VALUES } from '../../src/input/yaml-source';
import { synthToDist } from '../../src/synth';
import { fingerprint, ROOT, tempDir } from '../helpers';

/**
 * The bad input corpus: every `test/fixtures/bad/<name>.yaml` must be refused with exactly the
 * lines of `<name>.expected.txt` (first line `exit: <code>`, then one problem per line, as
 * `node lib/src/main.js` prints them from the fixture's folder, indented there by two spaces),
 * leaving a pre-existing dist/ byte-for-byte unchanged. Paths are written relative: the
 * fixture folder is dropped and this project's root reads `<dkp-fleet>/`.
 *
 * Most cases run in-process (the lines are formatProblem of each FleetError problem); a
 * representative subset, and the cases generated here (too big to store), also run through
 * the real process to check the exit code, the whole stderr and that no stack trace leaks.
 */
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'bad');
const MAIN = path.join(ROOT, 'lib', 'src', 'main.js');
const FIXTURE_FILES = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')).sort();

/** Through the process as well: one or more of each kind of refusal. */
const THROUGH_PROCESS = [
  'syntax-unclosed-flow.yaml', 'syntax-two-documents.yaml', 'unknown-cluster-field.yaml', 'type-wave-infinite.yaml', 'path-skips-dkp-minor.yaml',
  'k8s-skips-minor.yaml', 'app-catalog-incompatible.yaml', 'name-layer-too-long.yaml', 'facts-target-2.4.0.yaml', 'facts-catalog-broken-release.yaml',
  'flux-kommander-no-ssa-merge.yaml', 'hostile-escape-keys.yaml', 'hostile-alias-bomb.yaml', 'hostile-deep-nesting.yaml', 'hostile-huge-key.yaml',
];

interface Expectation {
  readonly exit: number;
  readonly lines: readonly string[];
}

function expectation(file: string): Expectation {
  const [first, ...lines] = fs.readFileSync(path.join(FIXTURES, file.replace(/\.yaml$/, '.expected.txt')), 'utf8').replace(/\n$/, '').split('\n');
  const m = /^exit: (\d+)$/.exec(first);
  if (!m) throw new Error(`${file}: the expectation must start with "exit: <code>"`);
  return { exit: Number(m[1]), lines };
}

/** What the fixture says it tests: its first comment line. */
function what(file: string): string {
  const first = fs.readFileSync(path.join(FIXTURES, file), 'utf8').split('\n', 1)[0];
  return first.startsWith('# ') ? `${file.replace(/\.yaml$/, '')}: ${first.slice(2)}` : file.replace(/\.yaml$/, '');
}

const relative = (line: string, dir = FIXTURES) => line.split(`${dir}/`).join('').split(`${ROOT}/`).join('<dkp-fleet>/');

/** Synthesizes in-process into `dist`; returns what main.ts would exit with and the problem lines. */
function refuse(fleetFile: string, dist: string, dir = FIXTURES): Expectation {
  try {
    synthToDist({ fleetFile, outdir: dist });
  } catch (e) {
    if (e instanceof FleetError) return { exit: 1, lines: e.problems.map((p) => relative(formatProblem(p), dir)) };
    return { exit: 2, lines: [`internal error: ${(e as Error).stack}`] };
  }
  return { exit: 0, lines: ['synthesis succeeded'] };
}

/** Runs the synthesis as `npx cdk8s synth` does, from the fixture's folder. */
function refuseThroughProcess(file: string, dist: string, cwd = FIXTURES) {
  const r = spawnSync(process.execPath, [MAIN], { cwd, encoding: 'utf8', env: { ...process.env, FLEET: file, FLEET_OUT: dist, DKP_FLEET_DEBUG: '' } });
  return { status: r.status, stderr: relative(r.stderr, cwd), stdout: r.stdout };
}

function header(file: string, problems: number, dist: string): string {
  return `dkp-fleet: ${file} was refused (${problems} problem${problems === 1 ? '' : 's'}); ${dist}/ was not changed`;
}

describe('the bad input corpus', () => {
  let dist: string;
  let before: Record<string, string>;
  beforeAll(() => {
    dist = path.join(tempDir(), 'dist');
    synthToDist({ fleetFile: path.join(ROOT, 'fleet.yaml'), outdir: dist });
    before = fingerprint(dist);
  });

  test('holds at least 60 fixtures, each with its expectation and nothing else', () => {
    expect(FIXTURE_FILES.length).toBeGreaterThanOrEqual(60);
    // catalogs/ and the addon folders the Konvoy fixtures name (inside the fixtures' folder, where a fleet file may read)
    const folders = ['catalogs', 'addons', 'addon-values'];
    const others = fs.readdirSync(FIXTURES).filter((f) => !f.endsWith('.yaml') && !f.endsWith('.expected.txt') && !folders.includes(f));
    expect(others).toEqual([]);
    for (const f of FIXTURE_FILES) expect(fs.existsSync(path.join(FIXTURES, f.replace(/\.yaml$/, '.expected.txt')))).toBe(true);
    for (const f of THROUGH_PROCESS) expect(FIXTURE_FILES).toContain(f);
  });

  describe.each(FIXTURE_FILES.map((f) => [what(f), f]))('fails if %s', (_what, file) => {
    test('with exactly the expected problems, and dist/ unchanged', () => {
      expect(refuse(path.join(FIXTURES, file), dist)).toEqual(expectation(file));
      expect(fingerprint(dist)).toEqual(before);
      expect(fs.readdirSync(path.dirname(dist))).toEqual(['dist']);
    });

    if (THROUGH_PROCESS.includes(file)) {
      test('through the process: exit code, exactly the problems on stderr, no stack trace, dist/ unchanged', () => {
        const want = expectation(file);
        const r = refuseThroughProcess(file, dist);
        expect(r.status).toBe(want.exit);
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe(`${header(file, want.lines.length, dist)}\n${want.lines.map((l) => `  ${l}\n`).join('')}`);
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(fingerprint(dist)).toEqual(before);
        expect(fs.readdirSync(path.dirname(dist))).toEqual(['dist']);
      });
    }
  });
});

describe('bad inputs too big to store', () => {
  const cases: { name: string; make: (file: string) => void; lines: (file: string) => string[] }[] = [
    {
      name: `a file over ${MAX_INPUT_BYTES} bytes`,
      make: (file) => {
        fs.writeFileSync(file, 'apiVersion: dkp-fleet/v1alpha1\n');
        fs.truncateSync(file, MAX_INPUT_BYTES + 1); // sparse: refused on its size, never read
      },
      lines: (file) => [`${file}: (file): is ${MAX_INPUT_BYTES + 1} bytes; fleet files of at most ${MAX_INPUT_BYTES} bytes are accepted`],
    },
    {
      name: `more than ${MAX_YAML_VALUES} YAML values (a list of 600,000 items)`,
      make: (file) => fs.writeFileSync(file, `apiVersion: dkp-fleet/v1alpha1\nkind: Fleet\nspec:\n  workspaces: [${'{}, '.repeat(600000)}{}]\n`),
      lines: (file) => [`${file}: (document): holds more than ${MAX_YAML_VALUES} YAML values; at most ${MAX_YAML_VALUES} are accepted `
        + '(a 5,000-cluster fleet has about 100,000)'],
    },
    {
      name: 'a list longer than allowed (10,001 clusters in a workspace)',
      make: (file) => fs.writeFileSync(file, 'apiVersion: dkp-fleet/v1alpha1\nkind: Fleet\nmetadata: {name: x}\nspec:\n  release: 2.2.1\n'
        + '  management: {name: m, provider: aws, kubernetesVersion: 1.21.6}\n'
        + `  workspaces:\n    - name: w\n      clusters:\n${'        - {name: c, provider: aws, kubernetesVersion: 1.21.6}\n'.repeat(10001)}`),
      lines: (file) => [`${file}:9: spec.workspaces[0].clusters: has 10001 items; at most 10000 are allowed`],
    },
    {
      name: 'a fleet file that is a folder',
      make: (file) => fs.mkdirSync(file),
      lines: (file) => [`${file}: (file): cannot be read: EISDIR`],
    },
  ];

  describe.each(cases.map((c) => [c.name, c]))('fails if %s', (_name, c) => {
    test('in-process and through the process, leaving dist/ unchanged', () => {
      const dir = tempDir();
      const dist = path.join(dir, 'dist');
      synthToDist({ fleetFile: path.join(ROOT, 'fleet.yaml'), outdir: dist });
      const before = fingerprint(dist);
      const file = 'fleet.yaml';
      c.make(path.join(dir, file));
      expect(refuse(path.join(dir, file), dist, dir)).toEqual({ exit: 1, lines: c.lines(file) });
      const r = refuseThroughProcess(file, dist, dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`${header(file, 1, 'dist')}\n  ${c.lines(file)[0]}\n`); // the process ran in dir
      expect(fingerprint(dist)).toEqual(before);
      expect(fs.readdirSync(dir).sort()).toEqual(['dist', 'fleet.yaml']);
    });
  });
});
