import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fingerprint, ROOT, tempDir } from '../helpers';

/**
 * The README's quick start works as written, one command after another, on a clone whose dist/
 * holds the shipped fleet's output (issue: the fleet as it is): each synthesis of another fleet
 * goes to its own folder, and dist/ is left as it is.
 */
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const quickStart = README.slice(README.indexOf('## Quick start'), README.indexOf('\n## ', README.indexOf('## Quick start') + 1));

/** The synthesis commands the quick start shows, as CLI arguments and environment. */
function commands(): { line: string; args: string[]; env: Record<string, string> }[] {
  const out: { line: string; args: string[]; env: Record<string, string> }[] = [];
  for (const m of quickStart.matchAll(/`((?:[A-Z_]+=\S+ )*)(npm run synth -- [^`]+|npx cdk8s synth[^`]*)`/g)) {
    const env = Object.fromEntries(m[1].trim().split(/\s+/).filter(Boolean).map((kv) => kv.split('=') as [string, string]));
    const args = m[2].startsWith('npm run synth -- ') ? m[2].slice('npm run synth -- '.length).split(/\s+/) : [];
    if (args.length > 0 || Object.keys(env).length > 0) out.push({ line: m[0], args, env });
  }
  return out;
}

function repoCopy(): string {
  const dir = tempDir();
  for (const f of ['fleet.yaml', 'examples', 'dist']) fs.cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true });
  return dir;
}

describe('the README quick start', () => {
  test('shows another fleet by flag and by environment, each into a folder of its own', () => {
    const found = commands();
    expect(found.map((c) => c.line)).toEqual([
      '`npm run synth -- --fleet examples/two-workspaces-waves.yaml --out out/two-workspaces`',
      '`FLEET=examples/clusterclass.yaml FLEET_OUT=out/clusterclass npx cdk8s synth --no-check-upgrade`',
    ]);
  });

  test('its commands succeed one after another and leave dist/ as it was', () => {
    const dir = repoCopy();
    const before = fingerprint(path.join(dir, 'dist'));
    for (const c of commands()) {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'lib', 'src', 'cli.js'), 'synth', ...c.args], {
        cwd: dir, env: { PATH: process.env.PATH ?? '', ...c.env }, encoding: 'utf8',
      });
      expect([c.line, r.status, r.stderr]).toEqual([c.line, 0, expect.stringContaining('dkp-fleet: wrote out/')]);
    }
    expect(fs.existsSync(path.join(dir, 'out', 'two-workspaces', 'PLAN.md'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'out', 'clusterclass', 'PLAN.md'))).toBe(true);
    expect(fingerprint(path.join(dir, 'dist'))).toEqual(before);
  });

  test('fails if another fleet is written over dist/: the message names both fleets and FLEET_OUT, and dist/ is left as it was', () => {
    const dir = repoCopy();
    const before = fingerprint(path.join(dir, 'dist'));
    const r = spawnSync(process.execPath, [path.join(ROOT, 'lib', 'src', 'cli.js'), 'synth', '--fleet', 'examples/clusterclass.yaml'], {
      cwd: dir, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/metadata\.name: dist\/ holds the output of fleet "acme", not "topo": write this fleet to a folder of its own with FLEET_OUT=<folder>/);
    expect(fingerprint(path.join(dir, 'dist'))).toEqual(before);
  });
});
