import * as fs from 'fs';
import * as path from 'path';
import { checkCatalog } from '../../src/catalog/check-catalog';
import { BUILT_IN_RELEASES } from '../../src/catalog/load-catalog';
import { formatProblem } from '../../src/input/problems';
import { describeWithShared, SHARED, tempDir } from '../helpers';

/** A copy of the built-in release files with `edit` applied to one of them. */
function editedCatalog(version: string, edit: (text: string) => string): string {
  const dir = tempDir();
  for (const f of fs.readdirSync(BUILT_IN_RELEASES)) fs.copyFileSync(path.join(BUILT_IN_RELEASES, f), path.join(dir, f));
  const file = path.join(dir, `${version}.yaml`);
  const before = fs.readFileSync(file, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  fs.writeFileSync(file, after);
  return dir;
}

const problems = (dir: string, shared?: string) => checkCatalog(shared, dir).problems.map((p) => formatProblem({ ...p, file: path.basename(p.file!) }));

describe('npm run catalog, on what the project holds', () => {
  test('passes on the built-in files without ../shared, comparing HelmReleases with the patch-tag extraction', () => {
    const r = checkCatalog(path.join(tempDir(), 'no-shared'));
    expect(r.problems).toEqual([]);
    expect(r.releases).toHaveLength(fs.readdirSync(BUILT_IN_RELEASES).length);
    expect(r.comparedWith).toEqual(['docs/facts/helmreleases-patch-tags.txt']);
  });

  test('fails if a HelmRelease of a patch release differs from the patch-tag extraction', () => {
    const dir = editedCatalog('2.2.1', (t) => t.replace(
      '{name: "traefik", chart: "traefik", version: "10.9.1"}',
      '{name: "traefik", chart: "traefik", version: "10.9.9"}',
    ));
    expect(problems(dir)).toEqual([
      '2.2.1.yaml: platformApps.traefik.helmReleases: differ from the HelmRelease tables at v2.2.1: '
        + 'missing {"name":"traefik","chart":"traefik","version":"10.9.1"}; '
        + 'not in the table {"name":"traefik","chart":"traefik","version":"10.9.9"}',
    ]);
  });

  test('fails if a release accepts upgrades from itself or a newer release', () => {
    const dir = editedCatalog('2.2.0', (t) => t.replace('upgradeFrom: ">=2.1.0 <=2.1.1"', 'upgradeFrom: ">=2.1.0 <=2.2.1"'));
    expect(problems(dir)).toEqual(['2.2.0.yaml: upgradeFrom: ">=2.1.0 <=2.2.1" accepts 2.2.0, 2.2.1, not older than this release']);
  });

  test('fails if two releases of one kommander-flux version name different controllers', () => {
    const dir = editedCatalog('2.2.2', (t) => t.replace('helmController: "v0.20.1"', 'helmController: "v0.20.2"'));
    expect(problems(dir)).toEqual([expect.stringMatching(/^2\.2\.2\.yaml: flux: kommander-flux 0\.29\.5 bundles other controllers in .*2\.2\.1\.yaml$/)]);
  });

  test('fails if a replaced app is still a platform app, or its successor is not', () => {
    const dir = editedCatalog('2.4.0', (t) => t.replace('by: "nvidia-gpu-operator"', 'by: "gpu-operator"'));
    expect(problems(dir)).toEqual(['2.4.0.yaml: replacedApps.nvidia.by: "gpu-operator" is not a platform app of this release']);
  });

  test('fails if a note is conditioned on upgrading from this release or a later one', () => {
    const dir = editedCatalog('2.2.0', (t) => t.replace('when: {from: ">=2.1.0 <2.2.0", konvoy: true}', 'when: {from: ">=2.1.0 <2.3.0", konvoy: true}'));
    expect(problems(dir)).toEqual(['2.2.0.yaml: notes[0].when.from: ">=2.1.0 <2.3.0" includes this release or later ones']);
  });
});

describeWithShared('npm run catalog, against the reference tables in ../shared/reference', () => {
  test('every release matches: platform apps, types and scopes, HelmReleases, catalog apps, the bundled Flux', () => {
    const r = checkCatalog(SHARED);
    expect(r.comparedWith).toHaveLength(2);
    expect(r.problems).toEqual([]);
  });

  test('fails if a platform app version or type differs from kommander-applications', () => {
    const dir = editedCatalog('2.3.0', (t) => t.replace(/(\n  traefik:\n    version: )"[^"]+"\n    type: platform/, '$1"1.0.0"\n    type: internal'));
    expect(problems(dir, SHARED)).toEqual([
      expect.stringMatching(/^2\.3\.0\.yaml: platformApps\.traefik\.version: "1\.0\.0", but kommander-applications v2\.3\.0 has "[^"]+"$/),
      '2.3.0.yaml: platformApps.traefik.type: "internal", but kommander-applications v2.3.0 has "platform"',
    ]);
  });

  test('fails if a catalog app version differs from dkp-catalog-applications', () => {
    const dir = editedCatalog('2.2.0', (t) => t.replace(
      '- {version: "0.20.2", kubernetes: ">=1.21.0 <1.23.0"}',
      '- {version: "0.20.3", kubernetes: ">=1.21.0 <1.23.0"}',
    ));
    expect(problems(dir, SHARED)).toEqual([
      '2.2.0.yaml: catalogApps.kafka-operator: versions 0.20.0, 0.20.3, but dkp-catalog-applications v2.2.0 has 0.20.0, 0.20.2',
    ]);
  });
});
