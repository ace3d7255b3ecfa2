import * as fs from 'fs';
import * as path from 'path';
import { loadCatalog } from '../../src/catalog/load-catalog';
import { Fleet } from '../../src/fleet/fleet';
import { formatProblem, Problems } from '../../src/input/problems';
import { resolveReleases } from '../../src/planner/resolve-releases';
import { tempDir } from '../helpers';

const BUILT_IN = path.join(__dirname, '..', '..', 'src', 'catalog', 'releases');

/** A catalog of the first `n` built-in releases, in version order. */
function catalogOf(n: number) {
  const dir = tempDir();
  const files = fs.readdirSync(BUILT_IN).filter((f) => f.endsWith('.yaml'))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).slice(0, n);
  for (const f of files) fs.copyFileSync(path.join(BUILT_IN, f), path.join(dir, f));
  return { catalog: loadCatalog(undefined, dir), versions: files.map((f) => f.replace(/\.yaml$/, '')) };
}

/** Only the release fields and the Flux mode matter to resolveReleases. */
const fleetOf = (release: string, currentRelease?: string) => ({ release, currentRelease, flux: { mode: 'hub' } }) as unknown as Fleet;

function problemsOf(fleet: Fleet, catalog: ReturnType<typeof loadCatalog>): string[] {
  const problems = new Problems();
  resolveReleases(fleet, catalog, problems);
  return problems.all.map(formatProblem);
}

describe('the releases a refusal lists', () => {
  test('a catalog of at most 8 releases is listed in full', () => {
    const { catalog, versions } = catalogOf(8);
    expect(versions).toHaveLength(8);
    expect(problemsOf(fleetOf('9.9.9'), catalog)).toEqual([
      `spec.release: "9.9.9" is not in the release catalog; known releases: ${versions.join(', ')}. `
      + 'Add a release file to the folder named by spec.catalog to use another release',
    ]);
  });

  test('a catalog of 9 releases is cut to the first and last three, with the count', () => {
    const { catalog, versions } = catalogOf(9);
    expect(problemsOf(fleetOf(versions[8], '0.0.1'), catalog)).toEqual([
      `spec.currentRelease: "0.0.1" is not in the release catalog; known releases: ${versions.slice(0, 3).join(', ')} ... `
      + `${versions.slice(6).join(', ')} (9 releases)`,
    ]);
  });
});
