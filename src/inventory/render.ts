import * as path from 'path';
import * as YAML from 'yaml';
import { InvApp, InvApps, InvCluster, InvManaged, Inventory, InvNodePool, InvProject, InvWorkspace } from './model';
import { FLEET_API_VERSION } from '../fleet/fleet-schema';

/**
 * Writes the fleet file of an inventory as text: block YAML in the README's order, one comment
 * above each field whose value the snapshot did not state (`# inferred: ...`), and what was
 * left out at the end. The same inventory gives the same bytes.
 */

export interface RenderOptions {
  /** Names the snapshot in the header (its base name: no absolute path in the output). */
  readonly file: string;
  /** Target release; `undefined` when --release was not given. */
  readonly release?: string;
  /** The current release and how it is known. */
  readonly currentRelease?: string;
  /** The comment over currentRelease (or in its place). @default - none: it was given */
  readonly currentReleaseNote?: string;
  /** Releases the current one can be upgraded to, for the comment that asks for a target. */
  readonly nextReleases: readonly string[];
}

/** Characters a comment must not hold: a newline would end it (and the rest would be YAML), controls and bidi overrides hide text. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

const WIDTH = 120;

/** A scalar as YAML reads it back: plain when that is the same string, JSON-quoted otherwise. */
export function scalar(s: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(s) && YAML.parse(s) === s) return s;
  return JSON.stringify(s);
}

/** `{name: x, version: 1.0.0}`: a flow mapping of scalars, fields in the order given, undefined ones left out. */
function flow(fields: readonly [string, string | undefined][]): string {
  return `{${fields.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${scalar(v!)}`).join(', ')}}`;
}

class Text {
  private readonly lines: string[] = [];

  public line(indent: number, text: string): void {
    this.lines.push(`${' '.repeat(indent)}${text}`);
  }

  /** A comment, wrapped at the page width (unless it is YAML to uncomment), every unsafe character escaped. */
  public comment(indent: number, text: string, wrap = true): void {
    const safe = text.replace(UNSAFE, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
    const prefix = `${' '.repeat(indent)}# `;
    if (!wrap) {
      this.lines.push(`${prefix}${safe}`);
      return;
    }
    let current = '';
    for (const word of safe.split(' ')) {
      if (current !== '' && prefix.length + current.length + 1 + word.length > WIDTH) {
        this.lines.push(`${prefix}${current}`);
        current = `  ${word}`;
      } else {
        current = current === '' ? word : `${current} ${word}`;
      }
    }
    this.lines.push(`${prefix}${current}`);
  }

  public toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

function platformList(t: Text, indent: number, key: string, apps: readonly InvApp[]): void {
  if (apps.length === 0) {
    t.line(indent, `${key}: []`);
    return;
  }
  t.line(indent, `${key}:`);
  for (const a of apps) {
    t.line(indent + 2, `- ${a.configOverrides === undefined ? scalar(a.id) : flow([['name', a.id], ['configOverrides', a.configOverrides]])}`);
  }
}

function catalogList(t: Text, indent: number, apps: readonly InvApp[]): void {
  if (apps.length === 0) return;
  t.comment(indent, 'versions as running now: leave a version out to take the newest of the target release that supports every cluster it runs on');
  t.line(indent, 'catalogApps:');
  for (const a of apps) {
    t.line(indent + 2, `- ${a.version === undefined && a.configOverrides === undefined ? scalar(a.id)
      : flow([['name', a.id], ['version', a.version], ['configOverrides', a.configOverrides]])}`);
  }
}

/** Apps the catalog does not know, as a comment: a custom app needs its Kubernetes range, which no snapshot holds. */
function customCandidates(t: Text, indent: number, apps: readonly InvApp[]): void {
  if (apps.length === 0) return;
  t.comment(indent, 'custom apps: these AppDeployments run apps the release catalog does not know. A custom app needs the Kubernetes versions '
    + 'it supports (kubernetesVersions), which the cluster does not record: put each under customApps with its range, such as ">=1.21.0 <1.23.0"');
  t.comment(indent, 'customApps:', false);
  for (const a of apps) {
    t.comment(indent, `  # ${a.source}`, false);
    const entry = flow([['name', a.id], ['version', a.version ?? '?'], ['kubernetesVersions', '?'], ['configOverrides', a.configOverrides]]);
    t.comment(indent, `  - ${entry}`, false);
  }
}

function apps(t: Text, indent: number, a: InvApps, withPlatform: boolean): void {
  if (withPlatform) platformList(t, indent, 'platformApps', a.platform);
  catalogList(t, indent, a.catalog);
  customCandidates(t, indent, a.custom);
}

function nodePools(t: Text, indent: number, pools: readonly InvNodePool[], clusterVersion: string): void {
  if (pools.length === 0) return;
  t.line(indent, 'nodePools:');
  for (const p of pools) {
    for (const n of p.notes) t.comment(indent + 2, n);
    t.line(indent + 2, `- ${flow([['name', p.name], ['kubernetesVersion', p.version === clusterVersion ? undefined : p.version]])}`);
  }
}

/** The fields of a Konvoy cluster after its name, as the fleet file takes them (defaults left out). */
function konvoyFields(t: Text, indent: number, c: InvManaged, defaultNamespace: string): void {
  t.line(indent, `provider: ${scalar(c.provider)}`);
  if (c.namespace !== defaultNamespace) t.line(indent, `namespace: ${scalar(c.namespace)}`);
  t.line(indent, `kubernetesVersion: ${scalar(c.version)}`);
  if (c.topology) t.line(indent, 'topology: true');
  if (c.controlPlane !== undefined && c.controlPlane !== `${c.name}-control-plane`) t.line(indent, `controlPlane: ${flow([['name', c.controlPlane]])}`);
  nodePools(t, indent, c.nodePools, c.version);
}

function cluster(t: Text, indent: number, c: InvCluster, ws: InvWorkspace): void {
  for (const n of c.notes) t.comment(indent, n);
  t.line(indent, `- name: ${scalar(c.name)}`);
  const i = indent + 2;
  if (c.type === 'attached') {
    t.line(i, 'type: attached');
    t.line(i, `kubernetesVersion: ${scalar(c.version)}`);
  } else {
    konvoyFields(t, i, c, ws.namespace);
  }
  if (c.kubeconfigSecret !== undefined) t.line(i, `kubeConfig: {secretRef: ${flow([['name', c.kubeconfigSecret]])}}`);
}

function project(t: Text, indent: number, p: InvProject): void {
  for (const n of p.notes) t.comment(indent, n);
  t.line(indent, `- name: ${scalar(p.name)}`);
  const i = indent + 2;
  if (p.namespace !== p.name) t.line(i, `namespace: ${scalar(p.namespace)}`);
  if (p.clusters !== undefined) t.line(i, `clusters: [${p.clusters.map(scalar).join(', ')}]`);
  apps(t, i, p.apps, false);
}

function workspace(t: Text, indent: number, w: InvWorkspace): void {
  t.line(indent, `- name: ${scalar(w.name)}`);
  const i = indent + 2;
  if (w.namespace !== w.name) t.line(i, `namespace: ${scalar(w.namespace)}`);
  apps(t, i, w.apps, true);
  if (w.projects.length > 0) {
    t.line(i, 'projects:');
    for (const p of w.projects) project(t, i + 2, p);
  }
  if (w.clusters.length > 0) {
    t.line(i, 'clusters:');
    for (const c of w.clusters) cluster(t, i + 2, c, w);
  }
}

export function renderFleet(inv: Inventory, o: RenderOptions): string {
  const t = new Text();
  const m = inv.management;
  t.comment(0, `Fleet file written by dkp-fleet inventory from ${path.basename(o.file)}, a read-only snapshot of the management cluster.`);
  t.comment(0, 'Comments starting with "inferred:" say what the snapshot does not state: check them before you synthesize.');
  t.line(0, `apiVersion: ${FLEET_API_VERSION}`);
  t.line(0, 'kind: Fleet');
  t.line(0, 'metadata:');
  t.line(2, `name: ${scalar(m.name)}`);
  t.line(0, 'spec:');
  if (o.release !== undefined) {
    t.line(2, `release: ${scalar(o.release)}`);
  } else if (o.currentRelease !== undefined) {
    t.comment(2, `set the target: --release was not given, so release is the current release; set it to the DKP release to upgrade to`
      + (o.nextReleases.length > 0 ? ` (${o.currentRelease} upgrades directly to ${o.nextReleases.join(', ')})` : ''));
    t.line(2, `release: ${scalar(o.currentRelease)}`);
  } else {
    t.comment(2, 'release: unknown; --release was not given and the current release is unknown: add `release: <the DKP release to upgrade to>`');
  }
  if (o.currentReleaseNote !== undefined) t.comment(2, o.currentReleaseNote);
  if (o.currentRelease !== undefined) t.line(2, `currentRelease: ${scalar(o.currentRelease)}`);
  t.comment(2, 'core addons: a snapshot holds neither their manifests nor their values; say where they are (README, "The Konvoy layers"), '
    + 'for example:');
  t.comment(2, 'konvoy: {addons: {manifests: ./addons}}', false);
  if (m.kommanderApps.length > 0) {
    t.line(2, 'kommander:');
    t.comment(4, `inferred: Kommander deploys itself through ${m.kommanderApps.map((a) => a.source).join(' and ')}, so they move with `
      + 'mgmt-kommander (README, "The app layers")');
    platformList(t, 4, 'appDeployments', m.kommanderApps);
  }
  for (const n of inv.notes) t.comment(2, n);
  for (const n of m.notes) t.comment(2, n);
  t.line(2, 'management:');
  t.line(4, `name: ${scalar(m.name)}`);
  konvoyFields(t, 4, m, 'default');
  apps(t, 4, m.apps, true);
  const workspaces = inv.workspaces.filter((w) => w.inUse);
  if (workspaces.length > 0) {
    t.line(2, 'workspaces:');
    for (const w of workspaces) workspace(t, 4, w);
  }
  if (inv.leftOut.length > 0) {
    t.comment(0, 'left out of this fleet file:');
    for (const l of inv.leftOut) t.comment(0, `- ${l}`);
  }
  return t.toString();
}
