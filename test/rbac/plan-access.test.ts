import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { AccessRule, READ_VERBS } from '../../src/rbac/access-plan';
import { accessSummary } from '../../src/rbac/access-summary';
import { planAccess } from '../../src/rbac/plan-access';
import { planSynthesis, synthesize, SynthResult } from '../../src/synth';
import { baseFleet, ROOT, writeFleet } from '../helpers';
import { accessProblems, folderObjects, OutputFileLike, outputLayers, READ } from './rbac-check';

/** Every shipped fleet: the examples cover hub and kommander mode, Job gates on the management and on workspace clusters. */
const EXAMPLES = ['fleet.yaml', 'examples/single-management.yaml', 'examples/two-workspaces-waves.yaml', 'examples/clusterclass.yaml',
  'examples/kommander-mode.yaml'];

/** The base fleet with Kommander and apps only: few layers, every rule can be written out. */
function appsOnlyFleet(): any {
  const f = baseFleet();
  f.spec.konvoy = { enabled: false };
  return f;
}

/** Kommander mode on Kommander's own Flux with Job gates: the gates of the workspace cluster run there. */
function kommanderFleet(): any {
  return {
    apiVersion: 'dkp-fleet/v1alpha1',
    kind: 'Fleet',
    metadata: { name: 'onprem' },
    spec: {
      release: '2.3.2',
      currentRelease: '2.2.1',
      konvoy: { enabled: false },
      flux: { mode: 'kommander', gateImage: 'registry.example/kubectl:v1.22.8' },
      management: {
        name: 'mgmt', provider: 'preprovisioned', kubernetesVersion: '1.22.8', nodePools: [{ name: 'mgmt-md-0' }], platformApps: ['cert-manager', 'traefik'],
      },
      workspaces: [{ name: 'edge', platformApps: ['cert-manager'], clusters: [{ name: 'edge-aks', type: 'attached', kubernetesVersion: '1.22.6' }] }],
    },
  };
}

/** The base fleet with rollout controls (a soak and a failure budget for wave 1): their Job gates run on the hub itself. */
function rolloutFleet(): any {
  const f = baseFleet();
  f.spec.flux = { gateImage: 'registry.example/kubectl:v1.22.8' };
  f.spec.rollout = { waves: [{ wave: 1, soak: '10m', maxFailures: 0 }] };
  return f;
}

const synthOf = (fleet: unknown): SynthResult => synthesize({ fleetFile: writeFleet(fleet) });
const exampleOf = (file: string): SynthResult => synthesize({ fleetFile: path.join(ROOT, file) });
const read = (namespace: string | undefined, group: string, resource: string, kind: string): AccessRule => ({
  ...(namespace !== undefined ? { namespace } : {}), group, resource, kind, verbs: [...READ_VERBS],
});
const write = (namespace: string, group: string, resource: string, kind: string, verbs: string[], names: string[]): AccessRule => ({
  namespace, group, resource, kind, verbs: verbs as AccessRule['verbs'], resourceNames: names,
});

/** Every Role and ClusterRole anywhere in an output, with its file. */
function allRoles(files: readonly OutputFileLike[]): { path: string; object: any }[] {
  return files.filter((f) => f.path.endsWith('.yaml'))
    .map((f) => ({ path: f.path, object: YAML.parse(f.content) }))
    .filter((o) => o.object?.kind === 'Role' || o.object?.kind === 'ClusterRole');
}

const writeVerbs = (role: any): string[] => [...new Set<string>((role.rules ?? []).flatMap((r: any) => r.verbs))].filter((v) => !READ.includes(v));

describe('planAccess', () => {
  test('exact rules for a small fleet: the management identity applies AppDeployments by name and reads what it checks; the cluster only reads', () => {
    const r = synthOf(appsOnlyFleet());
    const access = planAccess(r.plan, r.gates);
    const apps = 'apps.kommander.d2iq.io';
    const workspaceApps = ['cert-manager', 'gatekeeper', 'karma-traefik', 'kommander-flux', 'kube-prometheus-stack', 'kubecost', 'kubecost-thanos-traefik',
      'kubernetes-dashboard', 'prometheus-adapter', 'prometheus-thanos-traefik', 'reloader', 'traefik'];
    expect(access).toEqual({
      fleet: 'test',
      management: 'mgmt',
      hub: true,
      gates: [],
      identities: [
        {
          cluster: 'mgmt',
          type: 'management',
          account: {
            name: 'dkp-fleet-test', namespace: 'flux-system', createNamespace: true, kubeConfigSecret: { name: 'mgmt-kubeconfig', namespace: 'flux-system' },
          },
          layers: ['mgmt-preflight', 'mgmt-kommander', 'mgmt-platform-apps', 'ws-team-a-platform-apps', 'ws-team-a-apps-ready'],
          reads: [
            read(undefined, apps, 'clusterapps', 'ClusterApp'),
            read('kommander', apps, 'appdeployments', 'AppDeployment'),
            read('kommander', 'helm.toolkit.fluxcd.io', 'helmreleases', 'HelmRelease'),
            read('team-a', apps, 'appdeployments', 'AppDeployment'),
          ],
          writes: [
            write('kommander', apps, 'appdeployments', 'AppDeployment', ['create', 'delete', 'patch'], ['cert-manager', 'traefik']),
            write('team-a', apps, 'appdeployments', 'AppDeployment', ['create', 'delete', 'patch'], workspaceApps),
          ],
        },
        {
          cluster: 'prod-east',
          type: 'managed',
          account: {
            name: 'dkp-fleet-test',
            namespace: 'flux-system',
            createNamespace: true,
            kubeConfigSecret: { name: 'prod-east-kubeconfig', namespace: 'flux-system' },
          },
          layers: ['cluster-prod-east-platform-apps'],
          reads: [read('team-a', 'helm.toolkit.fluxcd.io', 'helmreleases', 'HelmRelease')],
          writes: [],
        },
      ],
    });
  });

  test('the Konvoy layers: patch only, by name, on objects that must exist; create and patch without delete on prune-protected addons', () => {
    const r = synthOf(baseFleet());
    const mgmt = planAccess(r.plan, r.gates).identities[0];
    const writesOf = (resource: string, namespace: string) => mgmt.writes.filter((w) => w.resource === resource && w.namespace === namespace);
    expect(writesOf('kubeadmcontrolplanes', 'default')).toEqual([
      write('default', 'controlplane.cluster.x-k8s.io', 'kubeadmcontrolplanes', 'KubeadmControlPlane', ['patch'], ['mgmt-control-plane']),
    ]);
    expect(writesOf('machinedeployments', 'default')).toEqual([
      write('default', 'cluster.x-k8s.io', 'machinedeployments', 'MachineDeployment', ['patch'], ['mgmt-md-0']),
    ]);
    expect(writesOf('kubeadmcontrolplanes', 'team-a')[0].resourceNames).toEqual(['prod-east-control-plane']);
    const sets = writesOf('clusterresourcesets', 'team-a');
    expect(sets).toHaveLength(1);
    expect(sets[0].verbs).toEqual(['create', 'patch']);
    expect(sets[0].resourceNames!.every((n) => n.endsWith('-prod-east'))).toBe(true);
    expect(writesOf('configmaps', 'team-a')[0].verbs).toEqual(['create', 'patch']);
    // nothing of Cluster API is ever deleted; only AppDeployments are pruned
    expect(mgmt.writes.filter((w) => w.verbs.includes('delete')).map((w) => w.resource)).toEqual(['appdeployments', 'appdeployments']);
    // the binding the set is checked by, read; the workspace cluster reads its addon workloads
    expect(mgmt.reads).toContainEqual(read('team-a', 'addons.cluster.x-k8s.io', 'clusterresourcesetbindings', 'ClusterResourceSetBinding'));
    const cluster = planAccess(r.plan, r.gates).identities[1];
    expect(cluster.writes).toEqual([]);
    expect(cluster.reads).toContainEqual(read('kube-system', 'apps', 'deployments', 'Deployment'));
  });

  test('kommander mode: identities in the layers\' namespaces, no delete anywhere (no pruning), a workspace cluster writes only its gates\' objects', () => {
    const r = synthOf(kommanderFleet());
    const access = planAccess(r.plan, r.gates);
    const [mgmt, edge] = access.identities;
    expect(mgmt.account).toEqual({ name: 'dkp-fleet-onprem', namespace: 'kommander-flux', createNamespace: false });
    expect(edge.account).toEqual({
      name: 'dkp-fleet-onprem', namespace: 'edge', createNamespace: false, kubeConfigSecret: { name: 'edge-aks-kubeconfig', namespace: 'edge' },
    });
    expect(access.identities.flatMap((i) => i.writes).filter((w) => w.verbs.includes('delete'))).toEqual([]);
    const gates = [...r.gates.jobGates.entries()].filter(([layer]) => layer.startsWith('cluster-edge-aks-')).map(([, g]) => g);
    expect(gates.length).toBeGreaterThan(0);
    const rbac = 'rbac.authorization.k8s.io';
    expect(edge.writes).toEqual([
      write('edge', '', 'serviceaccounts', 'ServiceAccount', ['create', 'patch'], gates.map((g) => g.name).sort()),
      write('edge', 'batch', 'jobs', 'Job', ['create', 'patch'], gates.map((g) => g.jobName).sort()),
      write('edge', rbac, 'rolebindings', 'RoleBinding', ['create', 'patch'], gates.map((g) => g.name).sort()),
      write('edge', rbac, 'roles', 'Role', ['create', 'patch'], gates.map((g) => g.name).sort()),
    ]);
    expect(edge.reads).toContainEqual(read('edge', 'helm.toolkit.fluxcd.io', 'helmreleases', 'HelmRelease'));
    // every gate is listed, with its Role's file and read-only rules
    expect(access.gates.map((g) => g.layer).sort()).toEqual([...r.gates.jobGates.keys()].sort());
    for (const g of access.gates) {
      expect(g.rules.every((rule) => rule.verbs.every((v) => v === 'get' || v === 'list'))).toBe(true);
      expect(g.files.every((f) => r.files.some((x) => x.path === f))).toBe(true);
    }
  });

  test('a HelmChartProxy gate: the management identity holds what the gate\'s Role grants (RBAC refuses to create a Role granting more)', () => {
    const r = exampleOf('examples/two-workspaces-waves.yaml');
    const access = planAccess(r.plan, r.gates);
    const gate = access.gates.find((g) => g.layer === 'mgmt-core-addons')!;
    expect(gate.rules).toEqual([
      { namespace: 'default', group: 'addons.cluster.x-k8s.io', resource: 'helmchartproxies', kind: 'HelmChartProxy', verbs: ['list'] },
      { namespace: 'default', group: 'addons.cluster.x-k8s.io', resource: 'helmreleaseproxies', kind: 'HelmReleaseProxy', verbs: ['list'] },
    ]);
    expect(access.identities[0].reads).toContainEqual(read('default', 'addons.cluster.x-k8s.io', 'helmreleaseproxies', 'HelmReleaseProxy'));
  });

  test('rollout controls in hub mode: their layers run on the hub, as the hub\'s own identity, which writes only their gates\' objects', () => {
    const r = synthOf(rolloutFleet());
    const access = planAccess(r.plan, r.gates);
    expect(access.identities.map((i) => `${i.cluster}:${i.type}`)).toEqual(['mgmt:management', '_hub:hub', 'prod-east:managed']);
    const hub = access.identities[1];
    // on the hub, in its Flux namespace, which exists there; no kubeConfig: the hub's Flux impersonates it
    expect(hub.account).toEqual({ name: 'dkp-fleet-test', namespace: 'flux-system', createNamespace: false });
    expect([...new Set(hub.writes.map((w) => w.resource))].sort()).toEqual(['jobs', 'rolebindings', 'roles', 'serviceaccounts']);
    expect(hub.writes.every((w) => w.namespace === 'flux-system' && w.resourceNames !== undefined)).toBe(true);
    expect(hub.reads.map((x) => x.resource)).toEqual(expect.arrayContaining(['kustomizations']));
    expect(access.gates.filter((g) => g.cluster === '_hub').length).toBeGreaterThan(0);
    expect(r.files.some((f) => f.path.includes('(hub)'))).toBe(false);
  });

  test('a Secret the preflight checks (an addon\'s, created by the user) is read by name with get only, never listed', () => {
    const fleet = baseFleet();
    const file = writeFleet(fleet);
    const manifests = path.join(path.dirname(file), 'examples/addons-azure/providers/azure/calico-cni-installation/manifests.yaml');
    fs.appendFileSync(manifests, '---\napiVersion: v1\nkind: Secret\nmetadata: {name: calico-credentials, namespace: kube-system}\n'
      + 'stringData: {token: not-in-dist}\n');
    const r = synthesize({ fleetFile: file });
    const mgmt = planAccess(r.plan, r.gates).identities[0];
    const secrets = mgmt.reads.filter((x) => x.resource === 'secrets');
    expect(secrets.length).toBeGreaterThan(0);
    for (const x of secrets) {
      expect(x.verbs).toEqual(['get']);
      expect(x.resourceNames!.every((n) => n.startsWith('calico-cni-installation-'))).toBe(true);
    }
    expect(r.files.some((f) => f.content.includes('not-in-dist'))).toBe(false);
    expect(accessProblems(r.files, { name: 'test', management: 'mgmt' })).toEqual([]);
  });

  test('without CEL for a kind (older Flux), kstatus reads a checked Deployment\'s ReplicaSets and Pods: they are read too', () => {
    const r = synthOf(baseFleet());
    const providers = r.plan.layers.find((l) => l.name === 'mgmt-capi-providers')!;
    const withCel = planAccess(r.plan, r.gates).identities[0].reads.filter((x) => x.namespace === 'capi-system').map((x) => x.resource);
    expect(withCel).toEqual(['deployments']);
    const healthGates = new Map(r.gates.healthGates);
    healthGates.set(providers.name, { ...healthGates.get(providers.name)!, healthCheckExprs: undefined });
    const noCel = planAccess(r.plan, { ...r.gates, healthGates }).identities[0].reads.filter((x) => x.namespace === 'capi-system');
    expect(noCel.map((x) => `${x.group}/${x.resource} ${x.verbs.join(',')}`)).toEqual(['/pods get,list,watch', 'apps/deployments get,list,watch',
      'apps/replicasets get,list,watch']);
  });

  test('is deterministic: the same plan gives the same access, rules sorted', () => {
    const planned = planSynthesis({ fleetFile: path.join(ROOT, 'examples/two-workspaces-waves.yaml') });
    const a = planAccess(planned.plan, planned.gates);
    expect(planAccess(planned.plan, planned.gates)).toEqual(a);
    for (const i of a.identities) {
      for (const rules of [i.reads, i.writes]) {
        const keys = rules.map((x) => `${x.namespace ?? ''} ${x.group} ${x.resource} ${x.verbs.join(',')}`);
        expect(keys).toEqual([...keys].sort());
      }
    }
    expect(a.identities.map((i) => i.cluster)).toEqual(['mgmt', 'canary', 'edge-1', 'eks-legacy', 'prod-east']);
  });

  test('fails if a layer of a workspace cluster would write anything but its Job gate\'s objects', () => {
    const planned = planSynthesis({ fleetFile: writeFleet(appsOnlyFleet()) });
    const apps = planned.plan.layers.find((l) => l.name === 'ws-team-a-platform-apps')!.content;
    const layers = planned.plan.layers.map((l) => (l.name === 'cluster-prod-east-platform-apps' ? { ...l, content: apps } : l));
    expect(() => planAccess({ ...planned.plan, layers }, planned.gates)).toThrow(/internal: layers write AppDeployment to workspace cluster prod-east/);
  });
});

describe('the written access covers what the layers do, and no more (read from the output, not from the plan)', () => {
  const cases: [string, () => SynthResult][] = [
    ['the base fleet', () => synthOf(baseFleet())],
    ['a kommander-mode fleet with gates on a workspace cluster', () => synthOf(kommanderFleet())],
    ['the base fleet with rollout controls on the hub', () => synthOf(rolloutFleet())],
    ...EXAMPLES.map((e): [string, () => SynthResult] => [e, () => exampleOf(e)]),
  ];

  test.each(cases)('%s: every object applied or checked is covered by a rule of the identity its layer uses', (_name, make) => {
    const r = make();
    expect(accessProblems(r.files, { name: r.plan.fleet.name, management: r.plan.fleet.management.name })).toEqual([]);
  });

  test.each(cases)('%s: every Role and ClusterRole the project writes only reads, unless it is an apply identity\'s', (_name, make) => {
    const r = make();
    const fleet = r.plan.fleet;
    /**
     * The exception, by name: the Roles `dkp-fleet-<fleet>-apply` of an identity the layers apply
     * with: the management cluster's, in rbac/<management>/; and, only where layers run Job gates
     * on another cluster (a workspace cluster when its Flux has no CEL, the hub for rollout
     * controls), that cluster's, limited to the gates' Jobs, ServiceAccounts, Roles and
     * RoleBindings, by name. Every other Role, the Job gates' own included, has get/list/watch only.
     */
    const gateFolders = new Set(outputLayers(r.files, fleet.management.name).filter((l) => l.objects.some((o) => o.kind === 'Job')).map((l) => l.identity));
    const isApplyException = (p: string, role: any): boolean => {
      if (role.metadata.name !== `dkp-fleet-${fleet.name}-apply`) return false;
      if (p.startsWith(`rbac/${fleet.management.name}/`)) return true;
      return gateFolders.has(p.split('/').slice(0, 2).join('/')) && role.rules.every((rule: any) => rule.resourceNames?.length > 0
        && rule.resources.every((x: string) => ['jobs', 'serviceaccounts', 'roles', 'rolebindings'].includes(x)));
    };
    const roles = allRoles(r.files);
    expect(roles.length).toBeGreaterThan(0);
    const writers = roles.filter((x) => writeVerbs(x.object).length > 0);
    expect(writers.filter((x) => !isApplyException(x.path, x.object)).map((x) => `${x.path}: ${writeVerbs(x.object).join(', ')}`)).toEqual([]);
    expect(writers.some((x) => x.path.startsWith(`rbac/${fleet.management.name}/`))).toBe(true);
  });

  test.each(EXAMPLES.filter((e) => !e.includes('kommander')))('%s (hub): workspace cluster identities have only get/list/watch', (e) => {
    const r = exampleOf(e);
    const folders = [...new Set(r.files.filter((f) => f.path.startsWith('rbac/')).map((f) => f.path.split('/')[1]))]
      .filter((c) => c !== r.plan.fleet.management.name);
    for (const c of folders) {
      for (const o of folderObjects(r.files, `rbac/${c}`).map((x) => x.object).filter((x) => x.kind === 'Role' || x.kind === 'ClusterRole')) {
        const role = `${c}/${o.metadata.namespace}/${o.metadata.name}`;
        expect({ role, writes: writeVerbs(o) }).toEqual({ role, writes: [] });
      }
    }
    expect(folders.length).toBe(r.plan.fleet.workspaces.flatMap((w) => w.clusters).length);
  });

  test('the Job gates\' Roles: get/list only, in the namespaces of what they read, listed in the access plan and not written again', () => {
    for (const e of EXAMPLES) {
      const r = exampleOf(e);
      const access = planAccess(r.plan, r.gates);
      const gateRoles = allRoles(r.files).filter((x) => !x.path.startsWith('rbac/'));
      expect(gateRoles.map((x) => x.path).sort()).toEqual(access.gates.flatMap((g) => g.files).sort());
      for (const { path: p, object } of gateRoles) {
        const gate = access.gates.find((g) => g.files.includes(p))!;
        expect(object.rules.flatMap((x: any) => x.verbs).every((v: string) => v === 'get' || v === 'list')).toBe(true);
        expect(object.kind).toBe('Role');
        expect(gate.rules.every((x) => x.namespace === object.metadata.namespace || gate.files.length > 1)).toBe(true);
        // the object it reads by name are those its layer checks there
        const checks = r.plan.layers.find((l) => l.name === gate.layer)!.checks;
        const checked = new Set(checks.filter((c) => c.namespace === object.metadata.namespace).map((c) => c.name));
        for (const rule of object.rules.filter((x: any) => x.resourceNames)) expect(rule.resourceNames.every((n: string) => checked.has(n))).toBe(true);
      }
      // rbac/ holds no gate ServiceAccount or Role: they stay the layers' own
      const rbacNames = r.files.filter((f) => f.path.startsWith('rbac/')).map((f) => f.path);
      expect(rbacNames.filter((p) => p.includes('dkp-fleet-gate-'))).toEqual([]);
    }
  });

  test('fails if an identity lacks a name an applied object needs, or may write one no layer applies', () => {
    const r = synthOf(appsOnlyFleet());
    const who = { name: 'test', management: 'mgmt' };
    const role = 'rbac/mgmt/role.kommander.dkp-fleet-test-apply.yaml';
    const edit = (fn: (o: any) => void) => r.files.map((f) => {
      if (f.path !== role) return f;
      const o = YAML.parse(f.content);
      fn(o);
      return { path: f.path, content: YAML.stringify(o) };
    });
    const missing = edit((o) => { o.rules[0].resourceNames = ['traefik']; });
    expect(accessProblems(missing, who)).toEqual(expect.arrayContaining([
      'rbac/mgmt cannot patch apps.kommander.d2iq.io/appdeployments kommander/cert-manager (layer mgmt-platform-apps)',
    ]));
    const extra = edit((o) => { o.rules[0].resourceNames.push('kube-system-takeover'); });
    expect(accessProblems(extra, who)).toEqual([
      'rbac/mgmt: Role kommander/dkp-fleet-test-apply may create/delete/patch appdeployments kommander/kube-system-takeover, which no layer applies',
    ]);
    const update = edit((o) => { o.rules[0].verbs.push('update'); });
    expect(accessProblems(update, who)).toContain(
      'rbac/mgmt may update apps.kommander.d2iq.io/appdeployments kommander/cert-manager, which layer mgmt-platform-apps never needs: '
      + 'Flux applies with server-side apply (patch)');
  });

  test('fails if a workspace cluster\'s Role grants a write verb, or reads a kind nothing there is checked', () => {
    const r = synthOf(appsOnlyFleet());
    const role = 'rbac/prod-east/role.team-a.dkp-fleet-test-read.yaml';
    const edit = (fn: (text: string) => string) => r.files.map((f) => (f.path === role ? { path: f.path, content: fn(f.content) } : f));
    const writing = edit((t) => t.replace('      - get\n', '      - get\n      - create\n'));
    expect(accessProblems(writing, { name: 'test', management: 'mgmt' })).toEqual([
      'rbac/prod-east: Role team-a/dkp-fleet-test-read writes helmreleases without resourceNames',
    ]);
    expect(writeVerbs(allRoles(writing).find((x) => x.path === role)!.object)).toEqual(['create']);
    const secrets = edit((t) => t.replace('helm.toolkit.fluxcd.io', "''").replace('helmreleases', 'secrets'));
    expect(accessProblems(secrets, { name: 'test', management: 'mgmt' })).toEqual(expect.arrayContaining([
      'rbac/prod-east: Role team-a/dkp-fleet-test-read reads secrets in team-a, which no layer checks or applies',
      'rbac/prod-east cannot get helm.toolkit.fluxcd.io/helmreleases team-a/cert-manager (layer cluster-prod-east-platform-apps)',
    ]));
  });
});

describe('accessSummary', () => {
  test('PLAN.md\'s Access section: one line per identity with its folder, how the layers use it and its kinds and verbs; one per gate', () => {
    const r = exampleOf('examples/kommander-mode.yaml');
    const lines = accessSummary(r.plan, r.gates);
    expect(lines.slice(0, 2)).toEqual(['## Access', '']);
    expect(lines[lines.length - 1]).toBe('');
    const identities = lines.filter((l) => l.startsWith('- `'));
    expect(identities.map((l) => l.slice(0, l.indexOf(':')))).toEqual(['- `mgmt` (management cluster)', '- `edge-1` (managed cluster)',
      '- `edge-aks` (attached cluster)']);
    expect(identities[0]).toContain('`rbac/mgmt/`, applied with `kubectl apply -k rbac/mgmt` on mgmt. ServiceAccount `kommander-flux/dkp-fleet-onprem`');
    expect(identities[0]).toContain('set `spec.serviceAccountName: dkp-fleet-onprem` on them');
    expect(identities[0]).toContain('AppDeployment in edge, kommander (create/patch)');
    expect(identities[2]).toContain('kubeconfig Secret `edge/edge-aks-kubeconfig` on mgmt');
    const gates = lines.filter((l) => l.startsWith('- Job gate of '));
    expect(gates).toHaveLength(r.gates.jobGates.size);
    expect(gates[0]).toBe('- Job gate of `mgmt-kommander` on `mgmt`: ServiceAccount `kommander-flux/dkp-fleet-gate-mgmt-kommander`, its Role written and '
      + 'applied by the layer (`mgmt-kommander/role.kommander.dkp-fleet-gate-mgmt-kommander.yaml`). Reads only: HelmRelease in kommander (get, by name).');
    expect(accessSummary(planAccess(r.plan, r.gates))).toEqual(lines);
  });

  test('hub mode: read-only clusters are marked, and reached through the hub\'s Secrets', () => {
    const r = synthOf(appsOnlyFleet());
    const line = accessSummary(r.plan, r.gates).find((l) => l.startsWith('- `prod-east`'))!;
    expect(line).toBe('- `prod-east` (managed cluster, read-only): `rbac/prod-east/`, applied with `kubectl apply -k rbac/prod-east` on prod-east. '
      + 'ServiceAccount `flux-system/dkp-fleet-test`: the layers reach prod-east with the kubeconfig Secret `flux-system/prod-east-kubeconfig` on the hub: '
      + 'give it this ServiceAccount\'s credentials. Reads (get/list/watch): HelmRelease in team-a.');
  });
});
