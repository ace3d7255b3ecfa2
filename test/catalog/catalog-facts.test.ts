import * as fs from 'fs';
import * as path from 'path';
import { loadCatalog } from '../../src/catalog/load-catalog';
import { describeWithShared, SHARED } from '../helpers';

/** Sections `== vX.Y.Z` of a reference table. */
function sections(file: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let tag: string | undefined;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^== v(\S+)/.exec(line);
    if (m) { tag = m[1]; out.set(tag, []); } else if (tag && line.trim() && !line.startsWith('#')) out.get(tag)!.push(line.trim());
  }
  return out;
}

describeWithShared('the catalog against the reference tables in ../shared/reference', () => {
  const catalog = loadCatalog();
  const ref = (f: string) => path.join(SHARED, 'reference', f);

  test('every platform app, version and type of every release matches kommander-applications', () => {
    const apps = sections(ref('kommander-applications-apps-by-tag.txt'));
    for (const v of catalog.versions) {
      const expected = Object.fromEntries(apps.get(v)!.map((l) => {
        const [, id, version, type] = /^(\S+) (\S+) type=(\S+)/.exec(l)!;
        return [id, `${version}/${type}`];
      }));
      const actual = Object.fromEntries(Object.entries(catalog.get(v)!.platformApps).map(([id, a]) => [id, `${a.version}/${a.type}`]));
      expect({ release: v, apps: actual }).toEqual({ release: v, apps: expected });
    }
  });

  test('every HelmRelease of the x.y.0 releases matches the reference table', () => {
    const hrs = sections(ref('kommander-applications-helmreleases-by-tag.txt'));
    for (const v of ['2.1.0', '2.2.0', '2.3.0', '2.4.0']) {
      const r = catalog.get(v)!;
      for (const line of hrs.get(v)!) {
        const [appDir, name, chart, version] = line.split(/\s+/);
        if (name.includes('${')) continue;
        const [app, dir] = appDir.split('/');
        expect(r.platformApps[app].version).toBe(dir);
        const hr = r.platformApps[app].helmReleases!.find((h) => h.name === name);
        const expectedVersion = /^\$\{\w+:=(.+)\}$/.exec(version)?.[1] ?? (version.includes('${') ? undefined : version);
        expect({ release: v, app, ...hr }).toEqual({ release: v, app, name, chart, ...(expectedVersion ? { version: expectedVersion } : {}) });
      }
    }
  });

  test('catalog app versions match dkp-catalog-applications', () => {
    const cat = sections(ref('dkp-catalog-applications-by-tag.txt'));
    for (const v of catalog.versions) {
      const lines = cat.get(v) ?? cat.get('2.1.1')!; // 2.1.0 has no tag; it shipped 2.1.1's catalog
      const expected = Object.fromEntries(lines.map((l) => {
        const [id, ...versions] = l.split(/:?\s+/);
        return [id.replace(/:$/, ''), versions.filter(Boolean).sort()];
      }));
      const actual = Object.fromEntries(Object.entries(catalog.get(v)!.catalogApps).map(([id, vs]) => [id, vs.map((x) => x.version).sort()]));
      expect({ release: v, apps: actual }).toEqual({ release: v, apps: expected });
    }
  });

  test('the bundled Flux matches the kommander-flux app of each release', () => {
    const apps = sections(ref('kommander-applications-apps-by-tag.txt'));
    for (const v of catalog.versions) {
      const line = apps.get(v)!.find((l) => l.startsWith('kommander-flux '))!;
      expect(catalog.get(v)!.flux.distribution).toBe(line.split(' ')[1]);
    }
  });
});
