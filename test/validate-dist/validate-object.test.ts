import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { ObjectValidator } from '../../src/validate-dist/validate-object';
import { describeWithShared, ROOT } from '../helpers';
import { coreValidator, sharedValidator } from '../proof-helpers';

const lines = (v: ObjectValidator, o: unknown) => v.validate(o).errors.map((e) => (e.path === '' ? e.message : `${e.path}: ${e.message}`));

/** A Kustomization as dkp-fleet writes it in hub mode. */
function kustomization(): any {
  return YAML.parse(fs.readFileSync(path.join(ROOT, 'dist', 'fleet', 'mgmt-control-plane.yaml'), 'utf8'));
}

function kcp(apiVersion = 'controlplane.cluster.x-k8s.io/v1beta1', ssa: string | null = 'Merge'): any {
  return {
    apiVersion,
    kind: 'KubeadmControlPlane',
    metadata: {
      name: 'mgmt-control-plane',
      namespace: 'default',
      annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled', ...(ssa ? { 'kustomize.toolkit.fluxcd.io/ssa': ssa } : {}) },
    },
    spec: { version: 'v1.22.8' },
  };
}

describe('core Kubernetes kinds (schemas written from the API reference)', () => {
  const v = () => coreValidator();
  const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}) });
  const job = (): any => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta('gate-mgmt-kommander', 'kommander'),
    spec: {
      backoffLimit: 100,
      activeDeadlineSeconds: 1800,
      ttlSecondsAfterFinished: 600,
      template: {
        metadata: { labels: { app: 'gate' } },
        spec: {
          serviceAccountName: 'gate',
          restartPolicy: 'OnFailure',
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'wait',
            image: 'registry.example/kubectl:v1.22.8',
            command: ['kubectl', 'wait', '--for=jsonpath={.status.lastAppliedRevision}=2.2.1', 'helmrelease/kommander', '-n', 'kommander'],
            resources: { limits: { cpu: '100m', memory: '64Mi' }, requests: { cpu: '50m', memory: 32000000 } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            env: [{ name: 'A', value: 'b' }, { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
          }],
        },
      },
    },
  });

  test('accept valid ConfigMap, Secret, Namespace, ServiceAccount, RBAC and Job objects', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('calico-mgmt', 'default'), data: { 'calico.yaml': 'kind: List\n' }, immutable: false },
      { apiVersion: 'v1', kind: 'Secret', metadata: meta('s', 'default'), type: 'addons.cluster.x-k8s.io/resource-set',
        stringData: { a: 'b' }, data: { c: 'ZA==' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('gate', 'kommander'), automountServiceAccountToken: true },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('gate', 'kommander'),
        rules: [{ apiGroups: ['helm.toolkit.fluxcd.io'], resources: ['helmreleases'], resourceNames: ['kommander'], verbs: ['get', 'list', 'watch'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('gate', 'kommander'),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'gate' },
        subjects: [{ kind: 'ServiceAccount', name: 'gate', namespace: 'kommander' }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta('gate'),
        rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: meta('gate'),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'gate' },
        subjects: [{ kind: 'ServiceAccount', name: 'gate', namespace: 'kommander' }] },
      job(),
    ];
    for (const o of objects) expect([o.kind, lines(v(), o)]).toEqual([o.kind, []]);
  });

  test('fails if a Job container field is misspelled, naming its path and the field meant', () => {
    const j = job();
    j.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    expect(lines(v(), j)).toEqual([expect.stringMatching(
      /^spec\.template\.spec\.containers\[0\]\.imagePullPolicyy: unknown field \(did you mean "imagePullPolicy"\?\); allowed fields: name, image, imagePullPolicy, /)]);
  });

  test('fails if a field has the wrong type', () => {
    const j = job();
    j.spec.backoffLimit = '3';
    expect(lines(v(), j)).toEqual(['spec.backoffLimit: expected integer, got string ("3")']);
  });

  test('fails if a resource quantity is neither an integer nor a string', () => {
    const j = job();
    j.spec.template.spec.containers[0].resources.limits.cpu = true;
    expect(lines(v(), j)).toEqual(['spec.template.spec.containers[0].resources.limits.cpu: expected integer or string, got boolean (true)']);
  });

  test('fails if a required field is missing', () => {
    expect(lines(v(), { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('gate', 'kommander'), subjects: [] }))
      .toEqual(['roleRef: required field is missing']);
    expect(lines(v(), { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('r', 'x'), rules: [{ resources: ['pods'] }] }))
      .toEqual(['rules[0].verbs: required field is missing']);
  });

  test('fails if a manifest carries status, which never belongs in Git', () => {
    expect(lines(v(), { apiVersion: 'v1', kind: 'Namespace', metadata: meta('x'), status: { phase: 'Active' } }))
      .toEqual([expect.stringMatching(/^status: unknown field; allowed fields: apiVersion, kind, metadata, spec$/)]);
  });

  test('fails if metadata has an unknown field, a bad name or a bad label', () => {
    expect(lines(v(), {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name', namespace: 'default', labelz: {}, labels: { 'a/b/c': 'x', ok: 'y'.repeat(64) } },
    }))
      .toEqual([
        'metadata.labelz: unknown field (did you mean "labels"?); allowed fields: '
        + 'name, generateName, namespace, labels, annotations, finalizers, ownerReferences, '
        + 'uid, resourceVersion, generation, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, selfLink, managedFields',
        'metadata.name: "Bad_Name" does not match ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
        'metadata.labels["a/b/c"]: is not a valid key (a name of at most 63 characters, with an optional DNS subdomain prefix)',
        `metadata.labels.ok: "${'y'.repeat(64)}" must NOT have more than 63 characters`,
      ]);
  });

  test('checks names by kind: RBAC takes path segments, a Namespace a DNS label', () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta('dkp-fleet:gate'), rules: [] };
    expect(lines(v(), role)).toEqual([]);
    expect(lines(v(), { ...role, metadata: meta('a/b') })).toEqual(['metadata.name: "a/b" does not match ^(?!\\.{1,2}$)[^/%]+$']);
    expect(lines(v(), { apiVersion: 'v1', kind: 'Namespace', metadata: meta('team.a') }))
      .toEqual(['metadata.name: "team.a" does not match ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$']);
    expect(lines(v(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('dkp-fleet:gate', 'x') }))
      .toEqual(['metadata.name: "dkp-fleet:gate" does not match ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$']);
  });

  test('fails if a namespaced object has no namespace, or a cluster-scoped one has one', () => {
    expect(lines(v(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('c') })).toEqual([
      'metadata.namespace: required: ConfigMap is namespaced, and an object without a namespace lands in whatever namespace applies it',
    ]);
    expect(lines(v(), { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta('r', 'kommander'), rules: [] })).toEqual([
      'metadata.namespace: ClusterRole is cluster-scoped: it takes no namespace',
    ]);
    expect(lines(v(), {
      apiVersion: 'apps.kommander.d2iq.io/v1alpha2', kind: 'ClusterApp', metadata: meta('traefik-10.3.0'),
      spec: { appId: 'traefik', version: '10.3.0', gitRepositoryRef: { kind: 'GitRepository', name: 'management' } },
    }))
      .toEqual([]);
  });

  test('fails if the object has no name', () => {
    expect(lines(v(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'default' } })).toEqual(['metadata.name: required field is missing']);
  });

  test('fails if there is no schema for the kind, never passing it silently', () => {
    expect(lines(v(), { apiVersion: 'example.com/v1', kind: 'Widget', metadata: meta('w') })).toEqual(['no schema for example.com/v1/Widget']);
    expect(lines(v(), { apiVersion: 'v1', kind: 'Pod', metadata: meta('p') })).toEqual(['no schema for v1/Pod']);
    expect(lines(v(), { kind: 'ConfigMap' })).toEqual(['has no apiVersion and kind (got nothing and "ConfigMap")']);
    expect(lines(v(), 'text')).toEqual(['expected a Kubernetes object (a mapping), got string']);
  });

  test('without ../shared, a CAPI or Flux kind has no schema and fails', () => {
    expect(lines(v(), kcp())).toEqual(['no schema for controlplane.cluster.x-k8s.io/v1beta1/KubeadmControlPlane']);
  });

  test('the kommander CRDs of the project validate an AppDeployment', () => {
    const ad = {
      apiVersion: 'apps.kommander.d2iq.io/v1alpha2', kind: 'AppDeployment', metadata: meta('traefik', 'team-a'),
      spec: { appRef: { kind: 'ClusterApp', name: 'traefik-10.3.0' } },
    };
    expect(lines(v(), ad)).toEqual([]);
    expect(lines(v(), { ...ad, spec: { appRef: { kind: 'Chart', name: 'x' }, configOverride: { name: 'x' } } })).toEqual([
      'spec.configOverride: unknown field (did you mean "configOverrides"?); allowed fields: appRef, configOverrides',
      'spec.appRef.kind: "Chart" is not allowed; allowed values: "App", "ClusterApp"',
    ]);
  });
});

describeWithShared('objects against the upstream CRDs of ../shared', () => {
  const v = () => sharedValidator();

  test('every CRD version loads and compiles, whole and partial', () => {
    const { registry } = v();
    const kinds = registry.entries.map((e) => `${e.apiVersion}/${e.kind}`);
    for (const k of ['kustomize.toolkit.fluxcd.io/v1/Kustomization', 'kustomize.toolkit.fluxcd.io/v1beta2/Kustomization',
      'controlplane.cluster.x-k8s.io/v1beta1/KubeadmControlPlane', 'controlplane.cluster.x-k8s.io/v1alpha4/KubeadmControlPlane',
      'cluster.x-k8s.io/v1beta1/MachineDeployment', 'cluster.x-k8s.io/v1beta1/Cluster', 'operator.cluster.x-k8s.io/v1alpha2/CoreProvider',
      'addons.cluster.x-k8s.io/v1alpha1/HelmChartProxy', 'addons.cluster.x-k8s.io/v1beta1/ClusterResourceSet', 'apps.kommander.d2iq.io/v1alpha2/AppDeployment',
      'batch/v1/Job', 'v1/ConfigMap']) {
      expect(kinds).toContain(k);
    }
    for (const e of registry.entries) {
      for (const partial of [false, true]) expect(typeof v().compile(e, partial)).toBe('function');
    }
  });

  test('accepts the Kustomizations dkp-fleet writes', () => {
    expect(v().validate(kustomization())).toEqual({ errors: [], notes: [] });
  });

  test('fails if a Kustomization spec field is misspelled, naming its path', () => {
    const k = kustomization();
    k.spec.wiat = true;
    k.spec.dependsOn[0].nmae = 'x';
    expect(lines(v(), k)).toEqual([
      expect.stringMatching(/^spec\.wiat: unknown field \(did you mean "wait"\?\); allowed fields: buildMetadata, commonMetadata, components, decryption, deletionPolicy, dependsOn, /),
      'spec.dependsOn[0].nmae: unknown field (did you mean "name"?); allowed fields: name, namespace, readyExpr',
    ]);
  });

  test('fails if a Kustomization field has the wrong type or value', () => {
    const k = kustomization();
    k.spec.prune = 'yes';
    k.spec.interval = '10 minutes';
    k.spec.sourceRef.kind = 'HelmRepository';
    expect(lines(v(), k)).toEqual([
      'spec.interval: "10 minutes" does not match ^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$',
      'spec.prune: expected boolean, got string ("yes")',
      'spec.sourceRef.kind: "HelmRepository" is not allowed; allowed values: "OCIRepository", "GitRepository", "Bucket", "ExternalArtifact"',
    ]);
  });

  test('fails if a required field is missing on a whole (non-partial) object', () => {
    const k = kustomization();
    delete k.spec.sourceRef;
    delete k.spec.prune;
    expect(lines(v(), k)).toEqual(['spec.prune: required field is missing', 'spec.sourceRef: required field is missing']);
    expect(lines(v(), kcp('controlplane.cluster.x-k8s.io/v1beta1', null))).toEqual([
      'spec.kubeadmConfigSpec: required field is missing', 'spec.machineTemplate: required field is missing',
    ]);
  });

  test('does not require the fields a partial (ssa: Merge) object leaves to their owners, but checks the ones it sets', () => {
    expect(v().validate(kcp())).toEqual({
      errors: [],
      notes: [
        'controlplane.cluster.x-k8s.io/v1beta1 KubeadmControlPlane: partial object (kustomize.toolkit.fluxcd.io/ssa: Merge): required fields not enforced',
      ],
    });
    expect(v().validate(kcp(undefined, 'merge')).errors).toEqual([]);
    const bad = kcp();
    bad.spec.versoin = bad.spec.version;
    bad.spec.replicas = 'three';
    expect(lines(v(), bad)).toEqual([
      'spec.versoin: unknown field (did you mean "version"?); allowed fields: kubeadmConfigSpec, machineNamingStrategy, machineTemplate, remediationStrategy, '
      + 'replicas, rolloutAfter, rolloutBefore, rolloutStrategy, version',
      'spec.replicas: expected integer, got string ("three")',
    ]);
  });

  test('validates a v1alpha4 object (DKP 2.1) against the CRD\'s non-served v1alpha4 schema, and says so', () => {
    const r = v().validate(kcp('controlplane.cluster.x-k8s.io/v1alpha4'));
    expect(r.errors).toEqual([]);
    expect(r.notes).toContainEqual(expect.stringMatching(
      /^controlplane\.cluster\.x-k8s\.io\/v1alpha4 KubeadmControlPlane: not served by the CRD in .*controlplane\.cluster\.x-k8s\.io_kubeadmcontrolplanes\.yaml; validated against that version's schema because the object uses it$/));
    // v1alpha4 has no machineNamingStrategy (a v1beta1 field): the right version's schema is used.
    expect(lines(v(), { ...kcp('controlplane.cluster.x-k8s.io/v1alpha4'), spec: { version: 'v1.21.6', machineNamingStrategy: {} } }))
      .toEqual([expect.stringMatching(/^spec\.machineNamingStrategy: unknown field; allowed fields: /)]);
  });

  test('validates a v1beta2 Kustomization (kommander mode) against the v1 schema without the v1-only fields, and says so', () => {
    const k = kustomization();
    k.apiVersion = 'kustomize.toolkit.fluxcd.io/v1beta2';
    const r = v().validate(k);
    expect(r.notes).toEqual([expect.stringMatching(/^kustomize\.toolkit\.fluxcd\.io\/v1beta2 Kustomization: no v1beta2 CRD in the shared CRDs: validated against the v1 schema/)]);
    expect(r.errors.map((e) => e.path)).toEqual(['spec.deletionPolicy', 'spec.healthCheckExprs']);
    delete k.spec.deletionPolicy;
    delete k.spec.healthCheckExprs;
    expect(v().validate(k).errors).toEqual([]);
  });

  test('accepts the objects the next layers write: providers, HelmChartProxy, ClusterResourceSet and its ConfigMap', () => {
    const capi = { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' };
    const objects = [
      { apiVersion: 'operator.cluster.x-k8s.io/v1alpha2', kind: 'CoreProvider', metadata: { name: 'cluster-api', namespace: 'capi-system', annotations: capi },
        spec: { version: 'v1.1.3-d2iq.4', fetchConfig: { url: 'https://github.com/mesosphere/cluster-api/releases/v1.1.3-d2iq.4/core-components.yaml' } } },
      { apiVersion: 'operator.cluster.x-k8s.io/v1alpha2', kind: 'InfrastructureProvider',
        metadata: { name: 'aws', namespace: 'capa-system', annotations: capi },
        spec: { version: 'v1.4.1', fetchConfig: { url: 'https://github.com/kubernetes-sigs/cluster-api-provider-aws/releases/v1.4.1/infrastructure-components.yaml' } } },
      { apiVersion: 'addons.cluster.x-k8s.io/v1alpha1', kind: 'HelmChartProxy', metadata: { name: 'calico-mgmt', namespace: 'default', annotations: capi },
        spec: { clusterSelector: { matchLabels: { 'cluster.x-k8s.io/cluster-name': 'mgmt' } }, repoURL: 'https://docs.tigera.io/calico/charts', chartName: 'tigera-operator',
          version: 'v3.22.1', namespace: 'tigera-operator', releaseName: 'calico', valuesTemplate: 'installation:\n  cni: {type: Calico}\n' } },
      { apiVersion: 'addons.cluster.x-k8s.io/v1beta1', kind: 'ClusterResourceSet',
        metadata: { name: 'calico-cni-installation-mgmt', namespace: 'default', annotations: capi },
        spec: { clusterSelector: { matchLabels: { 'konvoy.d2iq.io/cni': 'calico' } }, resources: [{ kind: 'ConfigMap', name: 'calico-cni-installation-mgmt' }],
          strategy: 'ApplyOnce' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'calico-cni-installation-mgmt', namespace: 'default', annotations: capi },
        data: { 'custom-resources.yaml': 'kind: Installation\n' } },
    ];
    for (const o of objects) expect([o.kind, lines(v(), o)]).toEqual([o.kind, []]);
    const hcp = objects[2] as any;
    expect(lines(v(), { ...hcp, spec: { ...hcp.spec, chartName: undefined, valuesTemplate: { cni: 'calico' } } })).toEqual([
      'spec.chartName: required field is missing', 'spec.valuesTemplate: expected string, got object',
    ]);
    const crs = objects[3] as any;
    expect(lines(v(), { ...crs, spec: { ...crs.spec, resources: [{ kind: 'Deployment', name: 'x' }] } })).toEqual([
      'spec.resources[0].kind: "Deployment" is not allowed; allowed values: "Secret", "ConfigMap"',
    ]);
  });

  test('accepts ClusterResourceSet strategy ApplyAlways (D2iQ fork, DKP 2.2+), saying so, and still refuses other values', () => {
    const crs = {
      apiVersion: 'addons.cluster.x-k8s.io/v1beta1', kind: 'ClusterResourceSet', metadata: { name: 'calico-mgmt', namespace: 'default' },
      spec: {
        clusterSelector: { matchLabels: { 'cluster.x-k8s.io/cluster-name': 'mgmt' } },
        resources: [{ kind: 'ConfigMap', name: 'calico-mgmt' }],
        strategy: 'ApplyAlways',
      },
    };
    const r = v().validate(crs);
    expect(r.errors).toEqual([]);
    expect(r.notes).toEqual([expect.stringMatching(/ClusterResourceSet: spec\.strategy ApplyAlways is accepted: D2iQ's Cluster API fork/)]);
    expect(lines(v(), { ...crs, spec: { ...crs.spec, strategy: 'ApplyNever' } })).toEqual([
      'spec.strategy: "ApplyNever" is not allowed; allowed values: "ApplyOnce", "Reconcile", "ApplyAlways"',
    ]);
  });

  test('fails if an object breaks a CEL rule of its CRD (x-kubernetes-validations)', () => {
    const k = kustomization();
    k.spec.kubeConfig.configMapRef = { name: 'mgmt-kubeconfig' };
    expect(lines(v(), k)).toEqual([
      'spec.kubeConfig: exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified '
      + '(rule: !has(self.configMapRef) || !has(self.secretRef))',
    ]);
    const provider = {
      apiVersion: 'operator.cluster.x-k8s.io/v1alpha2', kind: 'CoreProvider', metadata: { name: 'cluster-api', namespace: 'capi-system' },
      spec: { version: 'v1.1.3', fetchConfig: { url: 'https://example.com/core-components.yaml', selector: { matchLabels: { a: 'b' } } } },
    };
    expect(lines(v(), provider)).toEqual([
      'spec.fetchConfig: Must specify one and only one of {oci, url, selector} (rule: [has(self.oci), has(self.url), has(self.selector)].exists_one(x,x))',
    ]);
  });

  test('fails if the kind is unknown', () => {
    expect(lines(v(), { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomisation', metadata: { name: 'x' } }))
      .toEqual(['no schema for kustomize.toolkit.fluxcd.io/v1/Kustomisation']);
    expect(lines(v(), { ...kcp(), apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2' }))
      .toEqual(['no schema for controlplane.cluster.x-k8s.io/v1beta2/KubeadmControlPlane']);
  });
});
