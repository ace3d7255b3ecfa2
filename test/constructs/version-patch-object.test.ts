import { Testing } from 'cdk8s';
import { VersionPatchObject } from '../../src/constructs/kubernetes/version-patch-object';
import { VersionPatch } from '../../src/planner/layer';

function render(patch: VersionPatch, contract = 'v1beta1', ssaMerge = 'Merge'): any {
  const chart = Testing.chart();
  new VersionPatchObject(chart, 'patch', { patch, contract, ssaMerge });
  const objects = Testing.synth(chart);
  expect(objects).toHaveLength(1);
  return objects[0];
}

const metadata = (name: string, namespace: string, ssa = 'Merge') => ({
  name, namespace, annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled', 'kustomize.toolkit.fluxcd.io/ssa': ssa },
});
const TEMPLATE = { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'AWSMachineTemplate', name: 'prod-east-md-0-1-22-8', namespace: 'team-a' };

describe('VersionPatchObject', () => {
  test.each([
    ['v1beta1', 'controlplane.cluster.x-k8s.io/v1beta1'],
    ['v1alpha4', 'controlplane.cluster.x-k8s.io/v1alpha4'],
  ])('KubeadmControlPlane (%s): only spec.version', (contract, apiVersion) => {
    expect(render({ kind: 'KubeadmControlPlane', name: 'mgmt-control-plane', namespace: 'default', version: 'v1.22.8' }, contract)).toEqual({
      apiVersion, kind: 'KubeadmControlPlane', metadata: metadata('mgmt-control-plane', 'default'), spec: { version: 'v1.22.8' },
    });
  });

  test.each([
    ['v1beta1', 'cluster.x-k8s.io/v1beta1'],
    ['v1alpha4', 'cluster.x-k8s.io/v1alpha4'],
  ])('MachineDeployment (%s): only spec.template.spec.version', (contract, apiVersion) => {
    expect(render({ kind: 'MachineDeployment', name: 'prod-east-md-0', namespace: 'team-a', version: 'v1.22.8' }, contract)).toEqual({
      apiVersion, kind: 'MachineDeployment', metadata: metadata('prod-east-md-0', 'team-a'), spec: { template: { spec: { version: 'v1.22.8' } } },
    });
  });

  test.each([
    ['v1beta1', 'cluster.x-k8s.io/v1beta1'],
    ['v1alpha4', 'cluster.x-k8s.io/v1alpha4'],
  ])('Cluster (%s): only spec.topology.version', (contract, apiVersion) => {
    expect(render({ kind: 'Cluster', name: 'prod-east', namespace: 'team-a', version: 'v1.23.7' }, contract)).toEqual({
      apiVersion, kind: 'Cluster', metadata: metadata('prod-east', 'team-a'), spec: { topology: { version: 'v1.23.7' } },
    });
  });

  test('the ssa annotation carries the given merge value', () => {
    const o = render({ kind: 'KubeadmControlPlane', name: 'cp', namespace: 'default', version: 'v1.22.8' }, 'v1beta1', 'merge');
    expect(o.metadata).toEqual(metadata('cp', 'default', 'merge'));
  });

  test('a KubeadmControlPlane machine template is written as a whole infrastructureRef', () => {
    const o = render({ kind: 'KubeadmControlPlane', name: 'cp', namespace: 'team-a', version: 'v1.22.8', machineTemplate: TEMPLATE });
    expect(o.spec).toEqual({ version: 'v1.22.8', machineTemplate: { infrastructureRef: TEMPLATE } });
  });

  test('a MachineDeployment machine template is written as a whole infrastructureRef next to the version', () => {
    const o = render({ kind: 'MachineDeployment', name: 'prod-east-md-0', namespace: 'team-a', version: 'v1.22.8', machineTemplate: TEMPLATE });
    expect(o.spec).toEqual({ template: { spec: { version: 'v1.22.8', infrastructureRef: TEMPLATE } } });
  });

  test('a Cluster ignores a machine template: only the topology version', () => {
    const o = render({ kind: 'Cluster', name: 'c', namespace: 'team-a', version: 'v1.23.7', machineTemplate: TEMPLATE });
    expect(o.spec).toEqual({ topology: { version: 'v1.23.7' } });
  });
});
