import * as fs from 'fs';
import * as path from 'path';
import * as semver from 'semver';
import { BUILT_IN_RELEASES, loadReleaseFile, PACKAGE_ROOT } from './load-catalog';
import { Release } from './release';
import { formatProblem, Problem } from '../input/problems';

/**
 * `npm run catalog`: checks the hand-edited release files. Without anything else, each file on
 * its own (schema, name, facts that must agree within it) and the files together (upgrade
 * paths, the Flux each kommander-flux version bundles); against the project's own extraction
 * of HelmReleases at patch tags (docs/facts/helmreleases-patch-tags.txt); and, when
 * ../shared/reference is present, against its tables of apps, HelmReleases and catalog apps.
 */

/** The reference tables, each `== v<tag> ...` section's lines. */
type Tables = ReadonlyMap<string, readonly string[]>;

/** `== vX.Y.Z ...` sections of a reference table (comment and blank lines skipped). */
export function tableSections(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let tag: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^== v(\S+)/.exec(line);
    if (m) {
      tag = m[1];
      if (!out.has(tag)) out.set(tag, []);
    } else if (tag !== undefined && line.trim() !== '' && !line.startsWith('#')) {
      out.get(tag)!.push(line.trim());
    }
  }
  return out;
}

function merge(...tables: Tables[]): Tables {
  const out = new Map<string, string[]>();
  for (const t of tables) for (const [tag, lines] of t) out.set(tag, [...(out.get(tag) ?? []), ...lines]);
  return out;
}

export interface CatalogCheck {
  /** Releases checked, oldest first. */
  readonly releases: readonly string[];
  /** Which sources were compared beyond the files themselves. */
  readonly comparedWith: readonly string[];
  readonly problems: readonly Problem[];
}

const own = <T>(r: Readonly<Record<string, T>> | undefined, k: string): T | undefined =>
  (r !== undefined && Object.prototype.hasOwnProperty.call(r, k) ? r[k] : undefined);

/** Checks within one release that the schema cannot express. */
function checkOne(r: Release, add: (path: string, message: string) => void): void {
  for (const [app, x] of Object.entries(r.replacedApps ?? {})) {
    if (own(r.platformApps, app)) add(`replacedApps.${app}`, `${app} is still a platform app of this release`);
    if (!own(r.platformApps, x.by)) add(`replacedApps.${app}.by`, `${JSON.stringify(x.by)} is not a platform app of this release`);
    if (semver.gt(x.since, r.version)) add(`replacedApps.${app}.since`, `${x.since} is after this release`);
  }
  for (const [app, x] of Object.entries(r.retiredApps ?? {})) {
    if (semver.gt(x.since, r.version)) add(`retiredApps.${app}.since`, `${x.since} is after this release`);
  }
  (r.notes ?? []).forEach((n, i) => {
    const from = n.when?.from;
    if (from !== undefined && semver.intersects(from, `>=${r.version}`)) {
      add(`notes[${i}].when.from`, `${JSON.stringify(from)} includes this release or later ones`);
    }
  });
}

/** Checks across the releases: upgrade paths and the Flux of each kommander-flux version. */
function checkAll(releases: readonly Release[], add: (r: Release, path: string, message: string) => void): void {
  const versions = releases.map((r) => r.version);
  const flux = new Map<string, Release>();
  for (const r of releases) {
    const from = versions.filter((v) => semver.satisfies(v, r.upgradeFrom));
    const newer = from.filter((v) => semver.gte(v, r.version));
    if (newer.length > 0) add(r, 'upgradeFrom', `${JSON.stringify(r.upgradeFrom)} accepts ${newer.join(', ')}, not older than this release`);
    const first = flux.get(r.flux.distribution);
    if (first === undefined) {
      flux.set(r.flux.distribution, r);
    } else if (JSON.stringify(first.flux) !== JSON.stringify(r.flux)) {
      add(r, 'flux', `kommander-flux ${r.flux.distribution} bundles other controllers in ${first.source}`);
    }
  }
}

/** The release's platform apps against a table of `<app> <version> type=<type> scope=[...]` lines. */
function compareApps(r: Release, lines: readonly string[], table: string, add: (path: string, message: string) => void): void {
  const expected = new Map(lines.map((l) => {
    const m = /^(\S+) (\S+) type=(\S+) scope=\[([^\]]*)\]/.exec(l);
    if (!m) throw new Error(`unexpected line in ${table}: ${l}`);
    return [m[1], { version: m[2], type: m[3], scope: m[4].trim().split(/\s+/).filter(Boolean).join(',') }];
  }));
  for (const [app, e] of expected) {
    const a = own(r.platformApps, app);
    if (a === undefined) {
      add(`platformApps.${app}`, `missing; ${table} lists ${app} ${e.version} (type ${e.type})`);
      continue;
    }
    const actual = { version: a.version, type: a.type, scope: a.scope.join(',') };
    for (const k of ['version', 'type', 'scope'] as const) {
      if (actual[k] !== e[k]) add(`platformApps.${app}.${k}`, `${JSON.stringify(actual[k])}, but ${table} has ${JSON.stringify(e[k])}`);
    }
  }
  for (const app of Object.keys(r.platformApps)) {
    if (!expected.has(app)) add(`platformApps.${app}`, `not in ${table}`);
  }
}

/** The HelmReleases of the apps a table covers at the release's tag: `<app>/<dir> <name> <chart> <version> <source>`. */
function compareHelmReleases(r: Release, lines: readonly string[], table: string, add: (path: string, message: string) => void): void {
  const byApp = new Map<string, string[]>();
  for (const line of lines) {
    const [appDir, name, chart, version] = line.split(/\s+/);
    if (name.includes('${')) continue; // named by Kommander's controllers at run time
    const [app, dir] = appDir.split('/');
    if (own(r.platformApps, app)?.version !== dir) continue;
    const chartVersion = /^\$\{\w+:=(.+)\}$/.exec(version)?.[1] ?? (version.includes('${') ? undefined : version);
    byApp.set(app, [...(byApp.get(app) ?? []), JSON.stringify({ name, chart, ...(chartVersion ? { version: chartVersion } : {}) })]);
  }
  for (const [app, expected] of byApp) {
    const actual = (own(r.platformApps, app)!.helmReleases ?? []).map((h) => JSON.stringify(h));
    const missing = expected.filter((e) => !actual.includes(e));
    const extra = actual.filter((a) => !expected.includes(a));
    if (missing.length > 0 || extra.length > 0) {
      add(
        `platformApps.${app}.helmReleases`,
        `differ from ${table}: ${[...missing.map((m) => `missing ${m}`), ...extra.map((x) => `not in the table ${x}`)].join('; ')}`,
      );
    }
  }
}

/** The release's catalog apps against `<app>: <version> ...` lines. */
function compareCatalogApps(r: Release, lines: readonly string[], table: string, add: (path: string, message: string) => void): void {
  const expected = new Map(lines.map((l) => {
    const [id, ...versions] = l.split(/:?\s+/);
    return [id.replace(/:$/, ''), versions.filter(Boolean).sort().join(', ')];
  }));
  const actual = new Map(Object.entries(r.catalogApps).map(([id, vs]) => [id, vs.map((x) => x.version).sort().join(', ')]));
  for (const id of new Set([...expected.keys(), ...actual.keys()])) {
    if (expected.get(id) !== actual.get(id)) {
      add(`catalogApps.${id}`, `${actual.has(id) ? `versions ${actual.get(id)}` : 'missing'}, but ${table} has ${expected.get(id) ?? 'no such app'}`);
    }
  }
}

/**
 * Checks every built-in release file, and compares them with the reference tables in
 * `sharedDir` when that folder holds them.
 */
export function checkCatalog(sharedDir?: string, releasesDir: string = BUILT_IN_RELEASES): CatalogCheck {
  const problems: Problem[] = [];
  const releases: Release[] = [];
  for (const f of fs.readdirSync(releasesDir).filter((x) => /\.ya?ml$/.test(x)).sort()) {
    const r = loadReleaseFile(path.join(releasesDir, f), problems);
    if (r !== undefined) releases.push(r);
  }
  releases.sort((a, b) => semver.compare(a.version, b.version));
  const addTo = (r: Release) => (p: string, message: string) => problems.push({ file: r.source, path: p, message });
  for (const r of releases) checkOne(r, addTo(r));
  checkAll(releases, (r, p, m) => addTo(r)(p, m));

  const comparedWith: string[] = [];
  const read = (file: string) => tableSections(fs.readFileSync(file, 'utf8'));
  const patchTags = path.join(PACKAGE_ROOT, 'docs', 'facts', 'helmreleases-patch-tags.txt');
  let helmReleases: Tables = read(patchTags);
  comparedWith.push('docs/facts/helmreleases-patch-tags.txt');
  const reference = sharedDir === undefined ? undefined : path.join(sharedDir, 'reference');
  const have = reference !== undefined && fs.existsSync(path.join(reference, 'kommander-applications-apps-by-tag.txt'));
  let apps: Tables = new Map();
  let catalogApps: Tables = new Map();
  if (have) {
    apps = read(path.join(reference, 'kommander-applications-apps-by-tag.txt'));
    catalogApps = read(path.join(reference, 'dkp-catalog-applications-by-tag.txt'));
    helmReleases = merge(helmReleases, read(path.join(reference, 'kommander-applications-helmreleases-by-tag.txt')));
    comparedWith.push(`${reference}/{kommander-applications-apps-by-tag,kommander-applications-helmreleases-by-tag,dkp-catalog-applications-by-tag}.txt`);
  }
  for (const r of releases) {
    const add = addTo(r);
    const hr = helmReleases.get(r.version);
    if (hr !== undefined) compareHelmReleases(r, hr, `the HelmRelease tables at v${r.version}`, add);
    const a = apps.get(r.version);
    if (a !== undefined) {
      compareApps(r, a, `kommander-applications v${r.version}`, add);
      const flux = a.find((l) => l.startsWith('kommander-flux '))?.split(' ')[1];
      if (flux !== undefined && flux !== r.flux.distribution) {
        add('flux.distribution', `${r.flux.distribution}, but kommander-applications v${r.version} has kommander-flux ${flux}`);
      }
    }
    // 2.1.0 has no catalog tag: it shipped 2.1.1's catalog (DOCS 2.1 dkp-applications page)
    const c = catalogApps.get(r.version) ?? (r.version === '2.1.0' ? catalogApps.get('2.1.1') : undefined);
    if (c !== undefined) compareCatalogApps(r, c, `dkp-catalog-applications v${r.version}`, add);
  }
  return { releases: releases.map((r) => r.version), comparedWith, problems };
}

function main(): number {
  const shared = path.resolve(process.env.SHARED_DIR ?? path.join(PACKAGE_ROOT, '..', 'shared'));
  const result = checkCatalog(shared);
  for (const p of result.problems) process.stdout.write(`${formatProblem(p)}\n`);
  const n = result.problems.length;
  process.stdout.write(`catalog: ${result.releases.length} releases (${result.releases[0]} ... ${result.releases[result.releases.length - 1]}) checked`
    + ` against ${result.comparedWith.join(' and ')}`
    + `${fs.existsSync(path.join(shared, 'reference')) ? '' : ` (${shared}/reference not found: its tables were not compared)`}`
    + `; ${n === 0 ? 'no problems' : `${n} problem${n === 1 ? '' : 's'}`}\n`);
  return n === 0 ? 0 : 1;
}

if (require.main === module) {
  process.exitCode = main();
}
