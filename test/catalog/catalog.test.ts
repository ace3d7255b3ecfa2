import * as fs from 'fs';
import * as path from 'path';
import { BUILT_IN_RELEASES, loadCatalog, loadReleaseFile } from '../../src/catalog/load-catalog';
import { Problem } from '../../src/input/problems';
import { problemsOf, tempDir } from '../helpers';

const catalog = loadCatalog();

describe('the built-in release catalog', () => {
  // synth parses built-in files only when it needs them, so every one is validated here
  test.each(fs.readdirSync(BUILT_IN_RELEASES).filter((f) => f.endsWith('.yaml')))('%s is a valid release file named after its version', (f) => {
    const problems: Problem[] = [];
    const r = loadReleaseFile(path.join(BUILT_IN_RELEASES, f), problems);
    expect(problems).toEqual([]);
    expect(r!.version).toBe(f.replace(/\.yaml$/, ''));
  });

  test('fails if a built-in release file is invalid, when the release is first used', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '2.2.0.yaml'), fs.readFileSync(path.join(BUILT_IN_RELEASES, '2.2.0.yaml'), 'utf8').replace(/^version: .*$/m, 'version: 2.2.1'));
    const lazy = loadCatalog(undefined, dir);
    expect(problemsOf(() => lazy.get('2.2.0'))).toEqual([expect.stringMatching(/2\.2\.0\.yaml:12: version: "2\.2\.1" does not match the file name; name the file 2\.2\.1\.yaml$/)]);
  });

  test('holds every patch release from 2.1.0 to 2.4.2', () => {
    expect(catalog.versions).toEqual([
      '2.1.0', '2.1.1', '2.1.2', '2.1.3', '2.1.4', '2.1.5', '2.2.0', '2.2.1', '2.2.2', '2.2.3',
      '2.3.0', '2.3.1', '2.3.2', '2.3.3', '2.4.0', '2.4.1', '2.4.2',
    ]);
  });

  test('carries the verified Kubernetes facts and leaves unknown ones out', () => {
    expect(catalog.get('2.1.5')!.kubernetes).toEqual({ supported: '>=1.21.6 <1.22.0', default: '1.21.6' });
    expect(catalog.get('2.2.1')!.kubernetes).toEqual({ supported: '>=1.21.0 <1.23.0', default: '1.22.8' });
    expect(catalog.get('2.3.2')!.kubernetes).toEqual({ supported: '>=1.21.0 <1.24.0', default: '1.23.12' });
    expect(catalog.get('2.3.0')!.kubernetes).toEqual({ supported: '>=1.21.0 <1.24.0' });
    expect(catalog.get('2.4.0')!.kubernetes).toBeUndefined();
  });

  test('records the Flux each release bundles', () => {
    expect(catalog.get('2.1.0')!.flux).toEqual({
      distribution: '0.23.0', kustomizeController: 'v0.18.0', helmController: 'v0.13.0', sourceController: 'v0.18.0',
    });
    expect(catalog.get('2.2.1')!.flux.kustomizeController).toBe('v0.24.4');
    expect(catalog.get('2.2.3')!.flux.kustomizeController).toBe('v0.26.2');
    expect(catalog.get('2.4.2')!.flux.kustomizeController).toBe('v0.31.0');
  });

  test('records Kommander: app version per patch, chart version where known', () => {
    expect(catalog.get('2.1.3')!.kommander).toEqual({
      applicationsRef: 'v2.1.3', appVersion: '0.1.0', appDeploymentApiVersion: 'apps.kommander.d2iq.io/v1alpha2',
    });
    expect(catalog.get('2.2.1')!.kommander).toMatchObject({ appVersion: '0.2.1', chartVersion: 'v2.2.1' });
    expect(catalog.get('2.3.2')!.kommander).toMatchObject({ appVersion: '0.3.2', chartVersion: 'v2.3.2' });
  });

  test('records platform apps with their HelmReleases', () => {
    const r = catalog.get('2.2.0')!;
    expect(r.platformApps['cert-manager']).toEqual({
      version: '1.7.1', type: 'platform', scope: ['workspace'],
      helmReleases: [
        { name: 'cert-manager', chart: 'cert-manager', version: 'v1.7.1' },
        { name: 'cert-manager-crds', chart: 'cert-manager-crds', version: 'v1.7.1' },
      ],
    });
    // the app directory is not always the chart version
    expect(r.platformApps['grafana-loki'].helmReleases).toEqual([{ name: 'grafana-loki', chart: 'loki-distributed', version: '0.33.1' }]);
    expect(catalog.get('2.4.0')!.platformApps.nvidia).toBeUndefined();
    expect(catalog.get('2.4.0')!.platformApps['nvidia-gpu-operator'].version).toBe('1.11.1');
  });

  test('records catalog apps and the Kubernetes they support', () => {
    expect(catalog.get('2.2.3')!.catalogApps['kafka-operator']).toEqual([
      { version: '0.20.0', kubernetes: '>=1.21.0 <1.22.0' },
      { version: '0.20.2', kubernetes: '>=1.21.0 <1.23.0' },
    ]);
  });

  test('knows the upgrade paths and the hop that comes first', () => {
    expect(catalog.canUpgrade('2.1.1', '2.2.0')).toBe(true);
    expect(catalog.canUpgrade('2.1.0', '2.1.1')).toBe(false); // verified "No" in the 2.2 upgrade table
    expect(catalog.canUpgrade('2.1.1', '2.3.2')).toBe(false);
    expect(catalog.path('2.1.1', '2.3.2')).toEqual(['2.2.3']);
    expect(catalog.path('2.3.3', '2.1.0')).toBeUndefined();
  });
});

describe('user release files (spec.catalog)', () => {
  const copy = (from: string, to: string, edit: (s: string) => string) => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, `${to}.yaml`), edit(fs.readFileSync(path.join(BUILT_IN_RELEASES, `${from}.yaml`), 'utf8')));
    return dir;
  };

  test('a whole copy of a built-in release is laid over it: the same release, with the fact it adds', () => {
    const dir = copy('2.4.0', '2.4.0', (s) => s.replace('kind: Release\n', 'kind: Release\nkubernetes: {supported: ">=1.22.0 <1.25.0", default: "1.24.6"}\n'));
    const c = loadCatalog(dir);
    expect(c.get('2.4.0')!.kubernetes).toEqual({ supported: '>=1.22.0 <1.25.0', default: '1.24.6' });
    expect(c.get('2.4.0')!.source).toBe(`src/catalog/releases/2.4.0.yaml with ${path.join(dir, '2.4.0.yaml')}`);
    const { kubernetes: _k, source: _s, userFile: _u, ...rest } = c.get('2.4.0')!;
    const { kubernetes: _bk, source: _bs, ...builtIn } = loadCatalog().get('2.4.0')!;
    expect(rest).toEqual(builtIn);
  });

  test('add a release the built-in catalog lacks', () => {
    const dir = copy('2.4.2', '2.4.3', (s) => s.replace('version: "2.4.2"', 'version: "2.4.3"'));
    expect(loadCatalog(dir).versions).toContain('2.4.3');
  });

  test('fails if a release file is malformed, naming file, line and field', () => {
    const dir = copy('2.4.2', '2.4.3', (s) => s.replace('version: "2.4.2"', 'version: "2.4.3"')
      .replace('upgradeFrom: ">=2.3.0 <2.4.0 || >=2.4.0 <2.4.2"', 'upgradeFrom: 7'));
    expect(problemsOf(() => loadCatalog(dir))).toEqual([`${path.join(dir, '2.4.3.yaml')}:14: upgradeFrom: expected a semver range, got a number (7)`]);
  });

  test('fails if the file name and the version disagree', () => {
    const dir = copy('2.4.2', '2.4.9', (s) => s);
    expect(problemsOf(() => loadCatalog(dir))).toEqual([
      `${path.join(dir, '2.4.9.yaml')}:12: version: "2.4.2" does not match the file name; name the file 2.4.2.yaml`,
    ]);
  });

  test('fails if a default app is not an app of the release', () => {
    const dir = copy('2.2.1', '2.2.1', (s) => s.replace('  workspace: [', '  workspace: [no-such-app, '));
    expect(problemsOf(() => loadCatalog(dir))).toEqual([
      expect.stringMatching(/2\.2\.1\.yaml:\d+: defaultPlatformApps\.workspace\[0\]: "no-such-app" is not one of the release's platformApps$/),
    ]);
  });

  test('fails if the folder does not exist', () => {
    expect(problemsOf(() => loadCatalog('/nonexistent/releases'))).toEqual([
      'spec.catalog: "/nonexistent/releases" is not a readable folder of release files (ENOENT)',
    ]);
  });
});
