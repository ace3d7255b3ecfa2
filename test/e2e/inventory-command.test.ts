import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { ROOT, tempDir } from '../helpers';

/** `dkp-fleet inventory` through the real process: snapshot -> fleet.yaml -> compare -> synth (issue: the fleet as it is). */
const SNAPSHOT = path.join(ROOT, 'test', 'fixtures', 'inventory', 'snapshot.yaml');
const cli = path.join(ROOT, 'lib', 'src', 'cli.js');
const run = (args: string[], cwd = ROOT) =>
  spawnSync(process.execPath, [cli, 'inventory', ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });

describe('dkp-fleet inventory', () => {
  test('prints a fleet file that compares equal once its custom app is filled in, and synthesizes', () => {
    const r = run([SNAPSHOT, '--release', '2.2.0']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('printed the fleet file of');
    const dir = tempDir();
    // the one thing a snapshot cannot say: a custom app's supported Kubernetes (the file's comment asks for it)
    const fleet = YAML.parse(r.stdout);
    expect(r.stdout).toContain('# customApps:');
    fleet.spec.workspaces.find((w: any) => w.name === 'team-a').customApps = [{ name: 'billing', version: '1.4.0', kubernetesVersions: '>=1.21.0 <1.23.0' }];
    fs.cpSync(path.join(ROOT, 'examples', 'addons-azure'), path.join(dir, 'addons'), { recursive: true });
    fleet.spec.konvoy = { addons: { manifests: './addons' } };
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), YAML.stringify(fleet));
    const same = run([SNAPSHOT, '--compare', 'fleet.yaml'], dir);
    expect([same.status, same.stdout, same.stderr]).toEqual([0, '', expect.stringContaining('no differences')]);
    const synth = spawnSync(process.execPath, [cli, 'synth', '--out', 'out'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect([synth.status, synth.stderr]).toEqual([0, expect.stringContaining('dkp-fleet: wrote out/')]);
  });

  test('fails if the fleet file differs: exit 1, each difference with the fleet file\'s field path', () => {
    const r = run([SNAPSHOT, '--compare', 'fleet.yaml']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^dkp-fleet: fleet\.yaml differs from the fleet .* shows \(\d+ differences\)/);
    expect(r.stdout).toContain('  fleet.yaml: spec.workspaces[0].clusters[0].nodePools: node pool "prod-east-md-1" '
      + '(MachineDeployment team-a-x7k2p/prod-east-md-1) '
      + 'is not in the fleet: it would stay on Kubernetes 1.21.5 while the control plane moves');
    expect(r.stdout).toContain('  fleet.yaml: spec.workspaces: workspace "team-b" (namespace team-b) is not in the fleet');
  });

  test('fails if the snapshot is not one: named problems, no stack trace, nothing written', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'snap.yaml'), 'apiVersion: v1\nkind: List\nitems: [{kind: Pod}]\n');
    const r = run(['snap.yaml'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^dkp-fleet: snap\.yaml was refused \(\d+ problems?\); nothing was written\n {2}snap\.yaml/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(dir)).toEqual(['snap.yaml']);
  });

  test('fails if the snapshot is a FIFO: refused without opening it', () => {
    const dir = tempDir();
    expect(spawnSync('mkfifo', [path.join(dir, 'snap.yaml')]).status).toBe(0);
    const r = run(['snap.yaml'], dir);
    expect([r.status, r.stderr]).toEqual([1, expect.stringContaining('snap.yaml: (file): is not a regular file')]);
  });

  test('fails if the command line is wrong: usage, exit 2', () => {
    expect(run([]).status).toBe(2);
    expect(run([SNAPSHOT, 'fleet.yaml']).stderr).toContain('unknown arguments');
    expect(run([SNAPSHOT, '--compare', '--release', '2.2.0']).stderr).toContain('--compare takes no --release');
    expect(run([SNAPSHOT, '--release', 'latest']).stderr).toContain('--release: "latest" is not a DKP release');
  });
});
