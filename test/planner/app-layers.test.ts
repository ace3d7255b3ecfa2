import * as fs from 'fs';
import * as path from 'path';
import { BUILT_IN_RELEASES, loadCatalog } from '../../src/catalog/load-catalog';
import { loadAddonSources } from '../../src/fleet/addon-sources';
import { parseFleet } from '../../src/fleet/load-fleet';
import { Layer } from '../../src/planner/layer';
import { planFleet } from '../../src/planner/plan-fleet';
import { baseFleet, catalogWith, describeWithShared, problemsOf, SHARED, tempDir, toYaml } from '../helpers';

const catalog = loadCatalog();
const plan = (f: unknown) => {
  const { fleet } = parseFleet(toYaml(f), 'fleet.yaml');
  return planFleet(fleet, catalog, loadAddonSources(fleet));
};
const layers = (f: unknown) => Object.fromEntries(plan(f).layers.map((l) => [l.name, l])) as Record<string, Layer>;
const problems = (f: unknown) => problemsOf(() => plan(f));

/** A DKP 2.2.x -> 2.3.0 fleet: Kommander and apps only (2.3's Konvoy facts are unknown). */
function fleet22to23(): any {
  const f = baseFleet();
  f.spec.release = '2.3.0';
  f.spec.currentRelease = '2.2.3';
  f.spec.konvoy = { enabled: false };
  f.spec.management.kubernetesVersion = '1.22.8';
  f.spec.management.platformApps = ['cert-manager', 'traefik', 'kube-prometheus-stack', 'gatekeeper', 'external-dns'];
  f.spec.workspaces[0].clusters[0].kubernetesVersion = '1.22.8';
  f.spec.workspaces[0].catalogApps = ['kafka-operator'];
  return f;
}

describe('the Kommander layer', () => {
  test('watches Kommander\'s HelmReleases at the release\'s chart versions and applies nothing by default', () => {
    const k = layers(baseFleet())['mgmt-kommander'];
    expect(k.content.appDeployments).toEqual([]);
    expect(k.checks.map((c) => [c.apiVersion, c.kind, c.namespace, c.name, c.expect, c.applied])).toEqual([
      ['helm.toolkit.fluxcd.io/v2beta1', 'HelmRelease', 'kommander', 'kommander', { type: 'helm-release', chartVersion: 'v2.2.0' }, false],
      ['helm.toolkit.fluxcd.io/v2beta1', 'HelmRelease', 'kommander', 'kommander-appmanagement', { type: 'helm-release', chartVersion: 'v2.2.0' }, false],
      ['helm.toolkit.fluxcd.io/v2beta1', 'HelmRelease', 'kommander', 'kubefed', { type: 'helm-release', chartVersion: '0.9.1' }, false],
    ]);
    expect(k.changes).toEqual([{ subject: 'Kommander (kommander app)', from: '0.1.0', to: '0.2.0', note: 'watched: moved by its ClusterApps' }]);
  });

  test('moves Kommander\'s own AppDeployments when spec.kommander.appDeployments lists them', () => {
    const f = baseFleet();
    f.spec.kommander = { appDeployments: ['kommander', 'kommander-appmanagement'] };
    expect(layers(f)['mgmt-kommander'].content.appDeployments).toEqual([
      { name: 'kommander', namespace: 'kommander', appRef: { kind: 'ClusterApp', name: 'kommander-0.2.0' }, configOverrides: undefined },
      {
        name: 'kommander-appmanagement', namespace: 'kommander', appRef: { kind: 'ClusterApp', name: 'kommander-appmanagement-0.2.0' },
        configOverrides: undefined,
      },
    ]);
    // PLAN.md's changes are the moves of those apps, not the watched Kommander
    expect(layers(f)['mgmt-kommander'].changes.map((c) => c.subject))
      .toEqual(['AppDeployment kommander/kommander', 'AppDeployment kommander/kommander-appmanagement']);
  });

  test('watches only Kommander\'s own HelmReleases in a release without kubefed (a release file of the user\'s may leave it out)', () => {
    const withoutKubefed = catalogWith(catalog, '2.2.0', (r) => {
      const { kubefed: _kubefed, ...apps } = r.platformApps;
      return { ...r, platformApps: apps };
    });
    const { fleet } = parseFleet(toYaml(baseFleet()), 'fleet.yaml');
    const k = planFleet(fleet, withoutKubefed, loadAddonSources(fleet)).layers.find((l) => l.name === 'mgmt-kommander')!;
    expect(k.checks.map((c) => c.name)).toEqual(['kommander', 'kommander-appmanagement']);
  });

  test('says so where a platform app has no HelmRelease to check (a release file of the user\'s may list none)', () => {
    const noHelmRelease = catalogWith(catalog, '2.2.0', (r) => ({
      ...r, platformApps: { ...r.platformApps, traefik: { ...r.platformApps.traefik, helmReleases: [] } },
    }));
    const { fleet } = parseFleet(toYaml(baseFleet()), 'fleet.yaml');
    const l = planFleet(fleet, noHelmRelease, loadAddonSources(fleet)).layers.find((x) => x.name === 'mgmt-platform-apps')!;
    expect(l.changes.find((c) => c.subject === 'AppDeployment kommander/traefik')!.note).toBe('no HelmRelease to check');
    expect(l.changes.find((c) => c.subject === 'AppDeployment kommander/cert-manager')!.note).toBeUndefined();
  });

  test('fails if a workspace lists a platform app the release lacks, naming the entry', () => {
    const f = baseFleet();
    f.spec.workspaces[0].platformApps = ['traefik', 'nope'];
    expect(problems(f)).toEqual([expect.stringMatching(/^spec\.workspaces\[0\]\.platformApps\[1\]\.name: "nope" is not a platform app of release 2\.2\.0/)]);
    // a release default the release lacks (a release file of the user's): reported at the list the default stands for
    const badDefault = catalogWith(catalog, '2.2.0', (r) => ({
      ...r, defaultPlatformApps: { ...r.defaultPlatformApps, workspace: [...(r.defaultPlatformApps.workspace ?? []), 'nope'] },
    }));
    const { fleet } = parseFleet(toYaml(baseFleet()), 'fleet.yaml');
    expect(problemsOf(() => planFleet(fleet, badDefault, loadAddonSources(fleet))))
      .toEqual([expect.stringMatching(/^spec\.workspaces\[0\]\.platformApps: "nope" is not a platform app of release 2\.2\.0/)]);
  });

  test('watches the 2.1 chart with no version check where the chart version is unknown', () => {
    const f = baseFleet();
    f.spec.release = '2.1.5';
    f.spec.currentRelease = '2.1.4';
    f.spec.konvoy = { enabled: false };
    expect(layers(f)['mgmt-kommander'].checks[0].expect).toEqual({ type: 'helm-release', chartVersion: undefined });
  });
});

describe('the preflight layer', () => {
  test('waits for every ClusterApp the upgrade uses, and the Velero backup', () => {
    const f = baseFleet();
    f.spec.preflight = { veleroBackup: {} };
    const p = layers(f)['mgmt-preflight'];
    expect(p.content).toEqual({ appDeployments: [], versionPatches: [], providers: [], helmChartProxies: [], clusterResourceSets: [] });
    expect(p.checks.map((c) => `${c.kind} ${c.namespace ?? ''}/${c.name} ${c.expect.type}`)).toEqual([
      'ClusterApp /cert-manager-1.7.1 exists', 'ClusterApp /gatekeeper-3.7.0 exists', 'ClusterApp /karma-traefik-0.0.1 exists',
      'ClusterApp /kommander-0.2.0 exists', 'ClusterApp /kommander-flux-0.27.4 exists', 'ClusterApp /kube-prometheus-stack-33.1.5 exists',
      'ClusterApp /kubecost-0.23.3 exists',
      'ClusterApp /kubecost-thanos-traefik-0.0.1 exists', 'ClusterApp /kubernetes-dashboard-5.1.1 exists', 'ClusterApp /prometheus-adapter-2.17.1 exists',
      'ClusterApp /prometheus-thanos-traefik-0.0.1 exists', 'ClusterApp /reloader-0.0.104 exists', 'ClusterApp /traefik-10.9.1 exists',
      'Backup kommander/dkp-fleet-2-1-1-to-2-2-0 backup-completed',
      'KubeadmControlPlane default/mgmt-control-plane premise', 'MachineDeployment default/mgmt-md-0 premise',
    ]);
    expect(p.externalDependsOn).toEqual([{ name: 'dkp-fleet', namespace: 'flux-system' }]);
  });

  test('waits for a named Velero backup in the namespace given, and for the bootstrap Kustomization the fleet names', () => {
    const f = baseFleet();
    f.spec.preflight = { veleroBackup: { name: 'before-2-2-0', namespace: 'velero' } };
    f.spec.flux = { bootstrap: { name: 'fleet-root', namespace: 'gitops' } };
    const p = layers(f)['mgmt-preflight'];
    expect(p.checks.filter((c) => c.kind === 'Backup').map((c) => `${c.namespace}/${c.name} ${c.expect.type}`)).toEqual([
      'velero/before-2-2-0 backup-completed',
    ]);
    expect(p.externalDependsOn).toEqual([{ name: 'fleet-root', namespace: 'gitops' }]);
  });

  test('fails if a named Velero backup does not name this upgrade (a Backup an earlier upgrade left Completed would pass)', () => {
    const f = baseFleet();
    f.spec.preflight = { veleroBackup: { name: 'pre-upgrade', namespace: 'velero' } };
    expect(problemsOf(() => parseFleet(toYaml(f), 'fleet.yaml'))).toEqual([
      'fleet.yaml:30: spec.preflight.veleroBackup.name: "pre-upgrade" does not name this upgrade: it must contain the target release as 2-2-0 '
      + '(for example pre-upgrade-2-2-0, or leave it out for dkp-fleet-...-to-2-2-0); a Backup of another name may be one an earlier upgrade '
      + 'left Completed, and would pass the preflight',
    ]);
  });

  test('waits for the new machine templates the fleet names, once each, before any Kubernetes layer uses them', () => {
    const f = baseFleet();
    f.spec.management.controlPlane = { machineTemplate: 'mgmt-cp-1-22-8' };
    f.spec.management.nodePools = [{ name: 'mgmt-md-0', machineTemplate: 'mgmt-cp-1-22-8' }];
    f.spec.workspaces[0].clusters[0].nodePools[0].machineTemplate = {
      name: 'md-0-v2', kind: 'AzureMachinePoolTemplate', apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    };
    const p = layers(f)['mgmt-preflight'];
    expect(p.checks.filter((c) => c.kind.endsWith('MachineTemplate') || c.kind.endsWith('MachinePoolTemplate'))
      .map((c) => [c.apiVersion, c.kind, c.namespace, c.name, c.expect.type, c.applied])).toEqual([
      // read before the providers move: in the API version the current release (2.1.1, v1alpha4) serves, unless the fleet names one
      ['infrastructure.cluster.x-k8s.io/v1alpha4', 'AzureMachineTemplate', 'default', 'mgmt-cp-1-22-8', 'exists', false],
      ['infrastructure.cluster.x-k8s.io/v1beta1', 'AzureMachinePoolTemplate', 'team-a', 'md-0-v2', 'exists', false],
    ]);
    f.spec.konvoy = { enabled: false };
    f.spec.release = '2.1.5';
    f.spec.currentRelease = '2.1.4';
    expect(layers(f)['mgmt-preflight'].checks.filter((c) => c.kind.includes('Machine'))).toEqual([]);
  });
});

describe('platform apps', () => {
  test('a workspace gets the release\'s default set, the management cluster its list, each in its namespace', () => {
    const l = layers(baseFleet());
    expect(l['mgmt-platform-apps'].content.appDeployments.map((a) => `${a.namespace}/${a.name} -> ${a.appRef.kind} ${a.appRef.name}`)).toEqual([
      'kommander/cert-manager -> ClusterApp cert-manager-1.7.1', 'kommander/traefik -> ClusterApp traefik-10.9.1',
    ]);
    expect(l['ws-team-a-platform-apps'].content.appDeployments.map((a) => a.appRef.name)).toEqual([
      'cert-manager-1.7.1', 'gatekeeper-3.7.0', 'karma-traefik-0.0.1', 'kommander-flux-0.27.4', 'kube-prometheus-stack-33.1.5', 'kubecost-0.23.3',
      'kubecost-thanos-traefik-0.0.1', 'kubernetes-dashboard-5.1.1', 'prometheus-adapter-2.17.1', 'prometheus-thanos-traefik-0.0.1', 'reloader-0.0.104',
      'traefik-10.9.1',
    ]);
    expect(l['ws-team-a-platform-apps'].changes.find((c) => c.subject === 'AppDeployment team-a/kommander-flux')).toEqual({
      subject: 'AppDeployment team-a/kommander-flux', from: '0.23.0', to: '0.27.4', note: 'no HelmRelease to check',
    });
    // an app with nothing to note says nothing (no empty note)
    expect(l['ws-team-a-platform-apps'].changes.find((c) => c.subject === 'AppDeployment team-a/traefik')).toEqual({
      subject: 'AppDeployment team-a/traefik', from: '10.3.0', to: '10.9.1',
    });
  });

  test('pass configOverrides through', () => {
    const f = baseFleet();
    f.spec.workspaces[0].platformApps = [{ name: 'traefik', configOverrides: 'traefik-overrides' }];
    expect(layers(f)['ws-team-a-platform-apps'].content.appDeployments).toEqual([
      { name: 'traefik', namespace: 'team-a', appRef: { kind: 'ClusterApp', name: 'traefik-10.9.1' }, configOverrides: 'traefik-overrides' },
    ]);
  });

  test('are checked on every cluster of the workspace: their HelmReleases, at the release\'s chart versions', () => {
    const f = baseFleet();
    f.spec.workspaces[0].platformApps = ['cert-manager', 'grafana-loki'];
    f.spec.workspaces[0].clusters.push({ name: 'eks', type: 'attached', kubernetesVersion: '1.21.14' });
    const l = layers(f);
    for (const c of ['cluster-prod-east-platform-apps', 'cluster-eks-platform-apps']) {
      expect(l[c].checks.map((x) => `${x.namespace}/${x.name} ${(x.expect as any).chartVersion}`)).toEqual([
        'team-a/cert-manager v1.7.1', 'team-a/cert-manager-crds v1.7.1', 'team-a/grafana-loki 0.33.1', // the loki app dir is 0.33.2, its chart 0.33.1
      ]);
    }
    expect(l['cluster-eks-platform-apps'].target).toEqual({ cluster: 'eks', management: false, kubeconfigSecret: 'eks-kubeconfig', secretNamespace: 'team-a' });
  });

  test('show type changes between releases in the plan', () => {
    const l = layers(fleet22to23());
    expect(l['mgmt-platform-apps'].changes.find((c) => c.subject.endsWith('/external-dns'))).toEqual({
      subject: 'AppDeployment kommander/external-dns', from: '6.2.7', to: '6.5.5', note: 'type internal -> platform',
    });
  });

  test('fails if an app was replaced by another in the target release, naming the successor', () => {
    const f = baseFleet();
    f.spec.release = '2.4.0';
    f.spec.currentRelease = '2.3.3';
    f.spec.konvoy = { enabled: false };
    f.spec.workspaces[0].platformApps = ['nvidia'];
    expect(problems(f)).toContain('spec.workspaces[0].platformApps[0].name: "nvidia" is not a platform app of release 2.4.0: '
      + 'it was replaced by "nvidia-gpu-operator" in 2.4.0 (mesosphere/kommander-applications v2.4.0 services/ '
      + '(nvidia gone, nvidia-gpu-operator/1.11.1 added; verified)); list "nvidia-gpu-operator" instead');
  });

  test('fails if an app DKP retired is still listed, with the documented step', () => {
    const f = baseFleet();
    f.spec.management.platformApps = ['cert-manager', 'metallb'];
    expect(problems(f)).toEqual([
      'spec.management.platformApps[1].name: "metallb" must not be deployed as a platform app from DKP 2.2.0: '
      + 'MetalLB is no longer a platform app from DKP 2.2: before upgrading, suspend HelmRelease metallb in namespace kommander, '
      + 'delete its Helm release secrets (-l name=metallb,owner=helm) and AppDeployment metallb; '
      + 'MetalLB keeps running (mesosphere/dcos-docs-site pages/dkp/kommander/2.2/dkp-upgrade/upgrade-kommander/index.md (verified)); remove it from this list',
    ]);
  });

  test('list the apps that disappear and the ones that are new, and the documented steps, in the plan', () => {
    // 2.4.0 records no Kubernetes facts: a user supplies them, as README "The release catalog" says.
    const dir = tempDir();
    const text = fs.readFileSync(path.join(BUILT_IN_RELEASES, '2.4.0.yaml'), 'utf8')
      .replace('kind: Release\n', 'kind: Release\nkubernetes: {supported: ">=1.21.0 <1.25.0"}\n');
    fs.writeFileSync(path.join(dir, '2.4.0.yaml'), text);
    const f = fleet22to23();
    f.spec.release = '2.4.0';
    f.spec.currentRelease = '2.3.3';
    f.spec.management.platformApps = ['cert-manager', 'traefik'];
    const p = planFleet(parseFleet(toYaml(f), 'fleet.yaml').fleet, loadCatalog(dir));
    expect(p.notes).toContain('Not in DKP 2.4.0 (were in 2.3.3): metallb, minio-operator, nvidia (replaced by nvidia-gpu-operator). '
      + 'dkp-fleet writes no AppDeployment for them and leaves any existing one as it is.');
    expect(p.notes).toContain('New in DKP 2.4.0: nvidia-gpu-operator, rook-ceph, rook-ceph-cluster.');
    expect(p.manualSteps).toEqual([]);
    const q = plan(baseFleet());
    expect(q.notes).toContain('New in DKP 2.2.0: chartmuseum, dkp-insights-management.');
    expect(q.manualSteps).toEqual([expect.stringMatching(/^MetalLB is no longer a platform app from DKP 2\.2: before upgrading, suspend HelmRelease metallb/)]);
  });
});

describe('catalog and custom apps', () => {
  test('run in the workspace and in each project\'s namespace, checked only on the clusters a project is placed on', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters.push({ name: 'eks', type: 'attached', kubernetesVersion: '1.21.14' });
    f.spec.workspaces[0].catalogApps = [{ name: 'zookeeper-operator', configOverrides: 'zk' }];
    f.spec.workspaces[0].projects = [{ name: 'payments', clusters: ['eks'], catalogApps: [{ name: 'kafka-operator', version: '0.20.2' }],
      customApps: [{ name: 'billing', version: '1.4.0', kubernetesVersions: '>=1.21.0' }] }];
    const l = layers(f);
    expect(l['ws-team-a-catalog-apps'].content.appDeployments).toEqual([
      { name: 'zookeeper-operator', namespace: 'team-a', appRef: { kind: 'App', name: 'zookeeper-operator-0.2.13' }, configOverrides: 'zk' },
      { name: 'kafka-operator', namespace: 'payments', appRef: { kind: 'App', name: 'kafka-operator-0.20.2' }, configOverrides: undefined },
      { name: 'billing', namespace: 'payments', appRef: { kind: 'App', name: 'billing-1.4.0' }, configOverrides: undefined },
    ]);
    expect(l['cluster-prod-east-catalog-apps'].checks.map((c) => `${c.namespace}/${c.name}`)).toEqual(['team-a/zookeeper-operator']);
    expect(l['cluster-eks-catalog-apps'].checks.map((c) => `${c.namespace}/${c.name} ${(c.expect as any).chartVersion}`)).toEqual([
      'team-a/zookeeper-operator 0.2.13', 'payments/kafka-operator 0.20.2', 'payments/billing undefined',
    ]);
  });

  test('are checked by no layer on a cluster none of them is placed on', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters.push({ name: 'eks', type: 'attached', kubernetesVersion: '1.21.14' });
    f.spec.workspaces[0].projects = [{ name: 'payments', clusters: ['eks'], catalogApps: [{ name: 'kafka-operator', version: '0.20.2' }] }];
    expect(Object.keys(layers(f)).filter((n) => n.endsWith('-catalog-apps')).sort()).toEqual(['cluster-eks-catalog-apps', 'ws-team-a-catalog-apps']);
  });

  test('a project app only needs to support the clusters the project is placed on', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters.push({ name: 'eks', type: 'attached', kubernetesVersion: '1.21.14' });
    f.spec.workspaces[0].projects = [{
      name: 'legacy', clusters: ['eks'], customApps: [{ name: 'old', version: '1.0.0', kubernetesVersions: '>=1.21.0 <1.22.0' }],
    }];
    expect(layers(f)['ws-team-a-catalog-apps'].content.appDeployments.map((a) => a.appRef.name)).toEqual(['old-1.0.0']);
    f.spec.workspaces[0].projects[0].clusters = ['eks', 'prod-east'];
    expect(problems(f)).toEqual([
      'spec.workspaces[0].projects[0].customApps[0].kubernetesVersions: custom app "old" 1.0.0 supports Kubernetes ">=1.21.0 <1.22.0", not prod-east (1.22.8); '
      + 'publish a version that supports them and list it here',
    ]);
  });

  test('picks the newest catalog app version that supports every cluster before and after the upgrade', () => {
    const f = baseFleet();
    f.spec.release = '2.1.5';
    f.spec.currentRelease = '2.1.4';
    f.spec.konvoy = { enabled: false };
    f.spec.workspaces[0].catalogApps = ['spark-operator'];
    expect(layers(f)['ws-team-a-catalog-apps'].content.appDeployments[0].appRef.name).toBe('spark-operator-1.1.6');
    const g = baseFleet();
    g.spec.workspaces[0].catalogApps = ['spark-operator'];
    expect(layers(g)['ws-team-a-catalog-apps'].content.appDeployments[0].appRef.name).toBe('spark-operator-1.1.17');
  });

  test('fails if no version of a catalog app supports the clusters, listing the versions and their ranges', () => {
    const f = baseFleet();
    f.spec.workspaces[0].catalogApps = ['spark-operator'];
    f.spec.workspaces[0].clusters.push({ name: 'future', type: 'attached', kubernetesVersion: '1.22.17' });
    f.spec.workspaces[0].clusters[0].kubernetesVersion = '1.21.6';
    const g = JSON.parse(JSON.stringify(f));
    g.spec.release = '2.1.5';
    g.spec.currentRelease = '2.1.4';
    g.spec.konvoy = { enabled: false };
    g.spec.workspaces[0].clusters[1].kubernetesVersion = '1.21.14';
    g.spec.workspaces[0].customApps = [];
    expect(layers(g)['ws-team-a-catalog-apps'].content.appDeployments[0].appRef.name).toBe('spark-operator-1.1.6');
    f.spec.workspaces[0].catalogApps = [{ name: 'kafka-operator', version: '0.20.0' }];
    expect(problems(f)).toEqual([
      'spec.workspaces[0].catalogApps[0].version: kafka-operator 0.20.0 supports Kubernetes ">=1.21.0 <1.22.0", not prod-east (1.22.8), future (1.22.17); '
      + 'versions that work on every cluster: 0.20.2',
    ]);
    const h = baseFleet();
    h.spec.release = '2.1.5';
    h.spec.currentRelease = '2.1.4';
    h.spec.konvoy = { enabled: false };
    h.spec.workspaces[0].catalogApps = ['kafka-operator'];
    h.spec.workspaces[0].clusters = [{ name: 'eks', type: 'attached', kubernetesVersion: '1.22.0' }];
    expect(problems(h)).toContainEqual('spec.workspaces[0].catalogApps[0].name: no version of catalog app "kafka-operator" in release 2.1.5 '
      + 'supports the Kubernetes versions of eks (1.22.0); versions: 0.20.0 (>=1.21.0 <1.22.0)');
  });

  test('fails if a catalog app is unknown or pinned to a version the release lacks', () => {
    const f = baseFleet();
    f.spec.workspaces[0].catalogApps = ['kafka-operatr', { name: 'zookeeper-operator', version: '0.2.14' }];
    expect(problems(f)).toEqual([
      'spec.workspaces[0].catalogApps[0].name: "kafka-operatr" is not a catalog app of release 2.2.0 (did you mean "kafka-operator"?); '
      + 'catalog apps: kafka-operator, spark-operator, zookeeper-operator',
      'spec.workspaces[0].catalogApps[1].version: "0.2.14" is not a version of catalog app "zookeeper-operator" in release 2.2.0; versions: 0.2.13',
    ]);
  });
});

describeWithShared('app layers against the reference tables', () => {
  /** `app -> version` at a kommander-applications tag, and `app/dir -> [[hr, chartVersion]]`. */
  function reference(tag: string): { apps: Record<string, string>; hrs: Record<string, string[][]> } {
    const section = (file: string) => {
      const text = fs.readFileSync(path.join(SHARED, 'reference', file), 'utf8');
      const start = text.indexOf(`== v${tag} `) >= 0 ? text.indexOf(`== v${tag} `) : text.indexOf(`== v${tag}\n`);
      const rest = text.slice(start).split('\n').slice(1);
      return rest.slice(0, rest.findIndex((l) => l.startsWith('=='))).filter((l) => l.trim() !== '');
    };
    const apps = Object.fromEntries(section('kommander-applications-apps-by-tag.txt').map((l) => l.split(' ').slice(0, 2)));
    const hrs: Record<string, string[][]> = {};
    for (const l of section('kommander-applications-helmreleases-by-tag.txt')) {
      const [appDir, name, , version] = l.split(/\s+/);
      if (name.includes('${')) continue;
      (hrs[appDir] ??= []).push([name, /^\$\{\w+:=(.+)\}$/.exec(version)?.[1] ?? version]);
    }
    return { apps, hrs };
  }

  test.each([
    ['2.1 -> 2.2', baseFleet(), '2.2.0'],
    ['2.2 -> 2.3', fleet22to23(), '2.3.0'],
  ])('%s: every AppDeployment and every HelmRelease check matches kommander-applications at the tag', (_, f, tag) => {
    const ref = reference(tag);
    let apps = 0;
    let checks = 0;
    for (const l of plan(f).layers) {
      for (const a of l.content.appDeployments.filter((x) => x.appRef.kind === 'ClusterApp')) {
        expect(a.appRef.name).toBe(`${a.name}-${ref.apps[a.name]}`);
        apps++;
      }
      for (const c of l.checks.filter((x) => x.kind === 'HelmRelease' && !['kafka-operator'].includes(x.name))) {
        const owner = Object.entries(ref.hrs).find(([, list]) => list.some(([n]) => n === c.name))!;
        expect({ hr: c.name, version: (c.expect as any).chartVersion }).toEqual({ hr: c.name, version: owner[1].find(([n]) => n === c.name)![1] });
        checks++;
      }
    }
    expect(apps).toBeGreaterThan(10);
    expect(checks).toBeGreaterThan(10);
  });
});
