import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { tempDir } from '../../helpers';

/**
 * A Kubernetes API server that serves a fixed set of objects to the real `kubectl`: discovery of
 * their kinds, get by name, list by namespace with equality label selectors. Enough for the Job
 * gates' reads (`kubectl get <resource> <name> -n <ns> -o jsonpath=...` and `kubectl get a,b -l ...`),
 * so their scripts run unchanged against a step of a status timeline.
 */

type K8sObject = Record<string, any>;

export interface Kind {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/** Plural resource name, as gates name resources (kind lowercased, -s/-es/-ies). */
export function plural(kind: string): string {
  const lower = kind.toLowerCase();
  return lower.endsWith('s') ? `${lower}es` : lower.endsWith('y') ? `${lower.slice(0, -1)}ies` : `${lower}s`;
}

/** Kinds that are cluster-scoped among those the fixtures hold. */
const CLUSTER_SCOPED = new Set(['ClusterApp', 'Namespace', 'ClusterRole', 'ClusterRoleBinding']);

export function kindsOf(objects: readonly K8sObject[]): Kind[] {
  const seen = new Map<string, Kind>();
  for (const o of objects) seen.set(`${o.apiVersion}|${o.kind}`, { apiVersion: o.apiVersion, kind: o.kind, namespaced: !CLUSTER_SCOPED.has(o.kind) });
  return [...seen.values()];
}

/** The API group of an apiVersion; `''` for the core group. */
export const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
const versionOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion);

function matches(o: K8sObject, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [k, v] = term.split('=');
    return (o.metadata?.labels ?? {})[k] === v;
  });
}

/** One read of an object or a list, as the API server saw it (discovery left out). */
export interface ApiRead {
  readonly group: string;
  readonly resource: string;
  readonly namespace?: string;
  /** @default - a list */
  readonly name?: string;
}

export class FakeApiServer {
  private server?: http.Server;
  /** Every read of an object or a list this server answered, in order: what a gate's RBAC must allow. */
  public readonly reads: ApiRead[] = [];
  private objects: readonly K8sObject[] = [];
  /** The kubeconfig that points kubectl here. */
  public kubeconfig = '';
  /** kubectl's discovery cache for this server. */
  public cacheDir = '';

  public constructor(private readonly kinds: readonly Kind[]) {}

  public serve(objects: readonly K8sObject[]): void {
    this.objects = objects;
  }

  public async start(): Promise<void> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const port = (this.server.address() as AddressInfo).port;
    const dir = tempDir();
    this.kubeconfig = path.join(dir, 'kubeconfig');
    this.cacheDir = path.join(dir, 'cache');
    fs.writeFileSync(this.kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: fake',
      'clusters: [{name: fake, cluster: {server: "http://127.0.0.1:' + port + '"}}]',
      'contexts: [{name: fake, context: {cluster: fake, user: fake}}]',
      'users: [{name: fake, user: {}}]', '',
    ].join('\n'));
  }

  public async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private send(res: http.ServerResponse, code: number, body: unknown): void {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private notFound(res: http.ServerResponse, what: string): void {
    this.send(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `${what} not found` });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').filter(Boolean);
    const groups = new Map<string, Kind[]>();
    for (const k of this.kinds) {
      const key = k.apiVersion;
      groups.set(key, [...(groups.get(key) ?? []), k]);
    }
    if (url.pathname === '/api') {
      this.send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
      return;
    }
    if (url.pathname === '/apis') {
      const byGroup = new Map<string, string[]>();
      for (const k of this.kinds) {
        const g = groupOf(k.apiVersion);
        if (g) byGroup.set(g, [...new Set([...(byGroup.get(g) ?? []), versionOf(k.apiVersion)])]);
      }
      this.send(res, 200, {
        kind: 'APIGroupList', apiVersion: 'v1',
        groups: [...byGroup.entries()].map(([name, versions]) => ({
          name,
          versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
          preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
        })),
      });
      return;
    }
    // /api/v1[/...] or /apis/<group>/<version>[/...]
    const core = parts[0] === 'api';
    const apiVersion = core ? parts[1] : `${parts[1]}/${parts[2]}`;
    const rest = parts.slice(core ? 2 : 3);
    const kinds = groups.get(apiVersion) ?? [];
    if (rest.length === 0) {
      this.send(res, 200, {
        kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersion,
        resources: kinds.map((k) => ({
          name: plural(k.kind), singularName: k.kind.toLowerCase(), namespaced: k.namespaced, kind: k.kind, verbs: ['get', 'list'],
        })),
      });
      return;
    }
    let namespace: string | undefined;
    let resource: string;
    let name: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      [, namespace, resource, name] = rest;
    } else {
      [resource, name] = rest;
    }
    this.reads.push({ group: groupOf(apiVersion), resource, ...(namespace !== undefined ? { namespace } : {}), ...(name !== undefined ? { name } : {}) });
    const kind = kinds.find((k) => plural(k.kind) === resource);
    if (kind === undefined) {
      this.notFound(res, `${resource}`);
      return;
    }
    const candidates = this.objects.filter((o) => o.apiVersion === apiVersion && o.kind === kind.kind
      && (namespace === undefined || o.metadata?.namespace === namespace));
    if (name !== undefined) {
      const o = candidates.find((x) => x.metadata?.name === name);
      if (o === undefined) this.notFound(res, `${resource} "${name}"`);
      else this.send(res, 200, o);
      return;
    }
    this.send(res, 200, {
      apiVersion, kind: `${kind.kind}List`, metadata: { resourceVersion: '1' },
      items: candidates.filter((o) => matches(o, url.searchParams.get('labelSelector'))),
    });
  }
}
