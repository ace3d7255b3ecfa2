import { field, groupOf, SnapshotObject } from './snapshot';
import { dnsLabelProblem, kubernetesVersion } from '../input/formats';
import { Where } from '../input/kube-list';
import { Problems } from '../input/problems';
import { INVALID } from '../input/schema';

/**
 * The objects of a snapshot the inventory reads, by kind, and what reading them gathers: the
 * problems, what the fleet file leaves out and the notes of the whole fleet. With the small
 * helpers every part of the inventory (./inventory-builder.ts) reads objects with.
 */

const GROUPS = {
  Cluster: 'cluster.x-k8s.io',
  MachineDeployment: 'cluster.x-k8s.io',
  KubeadmControlPlane: 'controlplane.cluster.x-k8s.io',
  Workspace: 'workspaces.kommander.mesosphere.io',
  Project: 'workspaces.kommander.mesosphere.io',
  KommanderCluster: 'kommander.mesosphere.io',
  AppDeployment: 'apps.kommander.d2iq.io',
  ClusterApp: 'apps.kommander.d2iq.io',
} as const;
/** The kinds the inventory reads. */
export type Kind = keyof typeof GROUPS;

/** How to fix a snapshot that lacks a kind: take it with the one command that gets them all. */
export const getAlso = (resource: string): string =>
  `take the snapshot with the documented \`kubectl get ... -A -o yaml\`, which gets ${resource} too (README, "The fleet file")`;

export function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The non-empty string at `path` of an object, or undefined. */
export function str(o: SnapshotObject, path: string): string | undefined {
  const v = field(o, path);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** `namespace/name` of a namespaced object (a namespaced object without one is in `default`). */
export const key = (namespace: string, name: string): string => `${namespace}/${name}`;
export const nsOf = (o: SnapshotObject): string => o.namespace ?? 'default';
export const keyOf = (o: SnapshotObject): string => key(nsOf(o), o.name);

/** The snapshot's objects of the kinds the inventory reads; problems are recorded. */
export class SnapshotReader {
  private readonly byKind = new Map<Kind, SnapshotObject[]>();
  /** What the fleet file leaves out, and why. */
  public readonly leftOut: string[] = [];
  /** Notes of the whole fleet (what was inferred about the management cluster). */
  public readonly notes: string[] = [];

  public constructor(objects: readonly SnapshotObject[], public readonly problems: Problems) {
    const seen = new Map<string, SnapshotObject>();
    for (const o of objects) {
      if (!Object.prototype.hasOwnProperty.call(GROUPS, o.kind)) continue;
      const kind = o.kind as Kind;
      // The kinds are read by group: an object of another API group that shares a kind name is not one of these.
      if (o.apiVersion !== '' && groupOf(o) !== GROUPS[kind]) continue;
      const id = `${kind} ${o.kind === 'Workspace' || o.kind === 'ClusterApp' ? o.name : keyOf(o)}`;
      const first = seen.get(id);
      if (first !== undefined) {
        const also = first.at('');
        this.add(o.at('metadata.name'), `${id} appears twice in the snapshot (also at ${also.path}${also.line ? `, line ${also.line}` : ''}); `
          + 'keep one copy of each object');
        continue;
      }
      seen.set(id, o);
      this.byKind.set(kind, [...(this.byKind.get(kind) ?? []), o]);
    }
  }

  public add(w: Where, message: string): void {
    this.problems.add(w.path, message, w.line);
  }

  public all(kind: Kind): SnapshotObject[] {
    return this.byKind.get(kind) ?? [];
  }

  /** A name the fleet file will hold: a Kubernetes name (RFC 1123 label). */
  public fleetName(value: string, w: Where, what: string): boolean {
    const p = dnsLabelProblem(value);
    if (p !== undefined) this.add(w, `${p} (it becomes the name of a ${what} in the fleet file)`);
    return p === undefined;
  }

  /** The Kubernetes version at `path` of an object, without its leading `v`; undefined when absent or refused. */
  public version(o: SnapshotObject, path: string): string | undefined {
    const v = field(o, path);
    return v === undefined || v === null ? undefined : this.checkVersion(v, o.at(path));
  }

  public checkVersion(value: unknown, w: Where): string | undefined {
    const found = new Problems();
    const r = kubernetesVersion()(value, w.path, found);
    for (const p of found.all) this.add({ path: p.path, line: w.line }, p.message);
    return r === INVALID ? undefined : r;
  }
}
