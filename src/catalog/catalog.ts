import * as semver from 'semver';
import { Release } from './release';

/** A release, or how to load it when first asked for (built-in files are parsed on demand). */
export type ReleaseSource = Release | (() => Release);

/** The releases dkp-fleet knows, with the questions the planner asks of them. */
export class ReleaseCatalog {
  private readonly sources: Map<string, ReleaseSource>;

  /** @param releases releases by version; a function is called once, when the release is first needed */
  public constructor(releases: readonly Release[] | ReadonlyMap<string, ReleaseSource>) {
    const entries: [string, ReleaseSource][] = Array.isArray(releases)
      ? (releases as readonly Release[]).map((r) => [r.version, r])
      : [...(releases as ReadonlyMap<string, ReleaseSource>).entries()];
    this.sources = new Map(entries.sort(([a], [b]) => semver.compare(a, b)));
  }

  /** Every known release version, oldest first. */
  public get versions(): string[] {
    return [...this.sources.keys()];
  }

  public get(version: string): Release | undefined {
    const s = this.sources.get(version);
    if (typeof s !== 'function') return s;
    const release = s();
    this.sources.set(version, release);
    return release;
  }


  /** Can `to` be upgraded to directly from `from`? */
  public canUpgrade(from: string, to: string): boolean {
    const r = this.get(to);
    return r !== undefined && semver.satisfies(from, r.upgradeFrom);
  }

  /**
   * The releases `from` can be upgraded to directly, newest first: the hops a fleet can take next.
   */
  public nextHops(from: string): Release[] {
    // only newer releases are parsed (built-in release files load on first use)
    return this.versions.filter((v) => semver.gt(v, from)).map((v) => this.get(v)!).filter((r) => semver.satisfies(from, r.upgradeFrom)).reverse();
  }

  /**
   * A shortest path of direct upgrades from `from` to `to` (both excluded), preferring the
   * newest release at each hop, or `undefined` when there is none.
   */
  public path(from: string, to: string): string[] | undefined {
    const seen = new Set<string>([from]);
    let frontier: { version: string; path: string[] }[] = [{ version: from, path: [] }];
    while (frontier.length > 0) {
      const next: { version: string; path: string[] }[] = [];
      for (const f of frontier) {
        for (const hop of this.nextHops(f.version)) {
          if (hop.version === to) return f.path;
          if (!seen.has(hop.version) && semver.lt(hop.version, to)) {
            seen.add(hop.version);
            next.push({ version: hop.version, path: [...f.path, hop.version] });
          }
        }
      }
      frontier = next;
    }
    return undefined;
  }
}
