import * as semver from 'semver';
import { ReleaseCatalog } from '../catalog/catalog';

/** The app ids the release catalog knows, across every release it holds. */
export interface KnownApps {
  /** Platform apps (ClusterApps), by id. */
  readonly platform: ReadonlySet<string>;
  /** DKP catalog apps (Apps), by id. */
  readonly catalog: ReadonlySet<string>;
}

export function knownApps(catalog: ReleaseCatalog): KnownApps {
  const platform = new Set<string>();
  const apps = new Set<string>();
  for (const v of catalog.versions) {
    const r = catalog.get(v)!;
    for (const id of Object.keys(r.platformApps)) platform.add(id);
    for (const id of Object.keys(r.catalogApps)) apps.add(id);
    for (const id of Object.keys(r.replacedApps ?? {})) platform.add(id);
    for (const id of Object.keys(r.retiredApps ?? {})) platform.add(id);
  }
  return { platform, catalog: apps };
}

/** An app reference `<appId>-<version>` taken apart. */
export interface SplitRef {
  readonly id: string;
  /** @default - the name carries no version */
  readonly version?: string;
}

const isVersion = (s: string) => semver.valid(s) !== null;

/**
 * Splits `kube-prometheus-stack-33.1.5` into id and version: the longest id the catalog knows
 * that the name starts with, followed by `-` and a version; otherwise at the first `-` followed
 * by a version (an app the catalog does not know).
 */
export function splitAppRef(name: string, known: KnownApps): SplitRef {
  let best: string | undefined;
  for (const id of [...known.platform, ...known.catalog]) {
    if (name.startsWith(`${id}-`) && isVersion(name.slice(id.length + 1)) && (best === undefined || id.length > best.length)) best = id;
  }
  if (best !== undefined) return { id: best, version: name.slice(best.length + 1) };
  for (let i = name.indexOf('-'); i > 0; i = name.indexOf('-', i + 1)) {
    if (/^\d/.test(name.slice(i + 1)) && isVersion(name.slice(i + 1))) return { id: name.slice(0, i), version: name.slice(i + 1) };
  }
  return { id: name };
}
