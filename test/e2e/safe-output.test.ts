import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { synthToDist } from '../../src/synth';
import { baseFleet, fingerprint, ROOT, tempDir, tempFile, toYaml, writeFleet } from '../helpers';

const MAIN = path.join(ROOT, 'lib', 'src', 'main.js');

/** Runs the synthesis the way the cdk8s app command does, in a fresh process. */
function synthProcess(fleetFile: string, outdir: string, cwd = ROOT) {
  return spawnSync(process.execPath, [MAIN], { cwd, encoding: 'utf8', env: { ...process.env, FLEET: fleetFile, FLEET_OUT: outdir } });
}

function goodDist(): string {
  const dist = path.join(tempDir(), 'dist');
  synthToDist({ fleetFile: path.join(ROOT, 'fleet.yaml'), outdir: dist });
  return dist;
}

describe('safe output', () => {
  test('fails if the fleet is bad, with exit code 1, the problem on stderr and dist/ byte-for-byte unchanged', () => {
    const dist = goodDist();
    const before = fingerprint(dist);
    const f = baseFleet();
    f.spec.release = '2.9.9';
    const r = synthProcess(writeFleet(f), dist);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('was refused (1 problem); ');
    expect(r.stderr).toMatch(/fleet\.yaml:6: spec\.release: "2\.9\.9" is not in the release catalog/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(fingerprint(dist)).toEqual(before);
    expect(fs.readdirSync(path.dirname(dist))).toEqual(['dist']); // no staging leftovers
  });

  test('fails if the fleet file is not YAML at all, leaving dist/ unchanged', () => {
    const dist = goodDist();
    const before = fingerprint(dist);
    const r = synthProcess(tempFile('{{{ not yaml'), dist);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\(syntax\): malformed YAML/);
    expect(fingerprint(dist)).toEqual(before);
  });

  test('replaces dist/ completely on success: no stale file survives', () => {
    const dist = goodDist();
    fs.writeFileSync(path.join(dist, 'stale.yaml'), 'kind: Stale\n');
    fs.mkdirSync(path.join(dist, 'cluster-gone-control-plane'));
    fs.writeFileSync(path.join(dist, 'cluster-gone-control-plane', 'x.yaml'), 'kind: Stale\n');
    const r = synthProcess(path.join(ROOT, 'fleet.yaml'), dist);
    expect(r.status).toBe(0);
    const n = Object.keys(fingerprint(goodDist())).length;
    expect(r.stderr).toMatch(new RegExp(`^dkp-fleet: wrote .*dist/ \\(20 layers, ${n} files\\) from .*fleet\\.yaml; read .*PLAN\\.md\n`));
    expect(fingerprint(dist)).toEqual(fingerprint(goodDist()));
  });

  test('puts back the previous dist/ if a run was killed between its two renames', () => {
    const dist = goodDist();
    const before = fingerprint(dist);
    fs.renameSync(dist, path.join(path.dirname(dist), '.dkp-fleet-previous-dist-abc123'));
    const f = baseFleet();
    f.spec.release = 'bad';
    expect(synthProcess(writeFleet(f), dist).status).toBe(1);
    expect(fs.existsSync(dist)).toBe(false); // a refused run writes nothing, not even the recovery
    expect(synthProcess(path.join(ROOT, 'fleet.yaml'), dist).status).toBe(0);
    expect(fingerprint(dist)).toEqual(before);
    expect(fs.readdirSync(path.dirname(dist))).toEqual(['dist']);
  });

  test('npx cdk8s synth leaves dist/ untouched when the fleet is refused (the CLI empties only its scratch folder)', () => {
    const project = tempDir();
    for (const f of ['cdk8s.yaml', 'package.json', 'tsconfig.json']) fs.copyFileSync(path.join(ROOT, f), path.join(project, f));
    for (const d of ['node_modules', 'lib', 'src', 'imports', 'scripts']) fs.symlinkSync(path.join(ROOT, d), path.join(project, d));
    // examples/: the addon manifests the shipped fleet.yaml names, copied: a link would lead outside the fleet's folder (root-only reads)
    fs.cpSync(path.join(ROOT, 'examples'), path.join(project, 'examples'), { recursive: true });
    const dist = path.join(project, 'dist');
    synthToDist({ fleetFile: path.join(ROOT, 'fleet.yaml'), outdir: dist });
    const before = fingerprint(dist);
    const f = baseFleet();
    f.spec.workspaces[0].clusters[0].kubernetesVersion = '1.21';
    fs.writeFileSync(path.join(project, 'fleet.yaml'), toYaml(f));
    const cli = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
    const r = spawnSync(cli, ['synth', '--no-check-upgrade'], { cwd: project, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/spec\.workspaces\[0\]\.clusters\[0\]\.kubernetesVersion: "1\.21" is not a Kubernetes version/);
    expect(fingerprint(dist)).toEqual(before);
    // and a good fleet goes through the CLI to dist/
    fs.copyFileSync(path.join(ROOT, 'fleet.yaml'), path.join(project, 'fleet.yaml'));
    const ok = spawnSync(cli, ['synth', '--no-check-upgrade'], { cwd: project, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(fingerprint(dist)).toEqual(fingerprint(goodDist()));
  });
});

describe('the committed dist/', () => {
  test('is what the shipped fleet.yaml synthesizes', () => {
    expect(fingerprint(path.join(ROOT, 'dist'))).toEqual(fingerprint(goodDist()));
  });
});
