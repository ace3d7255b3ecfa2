import * as YAML from 'yaml';
import { EXPECTED_FLEET, find, SNAPSHOT, snapshotWith } from './snapshots';
import { compare } from '../../src/inventory';
import { problemsOf } from '../helpers';

/**
 * The fleet file `inventory` wrote for the snapshot, with its custom app added as the comment asks
 * (with the Kubernetes range the snapshot cannot tell): the fleet that matches the cluster.
 */
const EQUAL = EXPECTED_FLEET.replace([
  '      # customApps:',
  '      #   # AppDeployment team-a-x7k2p/billing (App billing-1.4.0)',
  '      #   - {name: billing, version: 1.4.0, kubernetesVersions: "?", configOverrides: billing-overrides}',
].join('\n'), [
  '      customApps:',
  '        - {name: billing, version: 1.4.0, kubernetesVersions: ">=1.21.0 <1.23.0", configOverrides: billing-overrides}',
].join('\n'));

/** The equal fleet changed by `change`, as text. */
function fleetWith(change: (fleet: any) => void): string {
  const fleet = YAML.parse(EQUAL);
  change(fleet);
  return YAML.stringify(fleet);
}

const differences = (fleet: string, snapshot = SNAPSHOT) => compare(snapshot, fleet, 'fleet.yaml').differences;

describe('compare: the equal case', () => {
  test('a fleet file that matches the cluster has no differences', () => {
    expect(EQUAL).not.toBe(EXPECTED_FLEET);
    expect(differences(EQUAL)).toEqual([]);
  });

  test('the fleet file inventory writes differs only by the custom app it cannot list (its Kubernetes range is unknown)', () => {
    expect(differences(EXPECTED_FLEET)).toEqual([{
      path: 'spec.workspaces[0].customApps',
      message: 'custom app "billing" is enabled in workspace "team-a" (AppDeployment team-a-x7k2p/billing, App billing-1.4.0) but absent from the fleet: '
        + 'it would stay on its old version while Kubernetes moves',
    }]);
  });

  test('a cluster the fleet marks removed is not a difference', () => {
    const fleet = fleetWith((f) => {
      f.spec.workspaces[1].clusters[0] = { name: 'batch', removed: true };
    });
    expect(differences(fleet)).toEqual([]);
  });
});

describe('compare: every kind of drift, at the fleet file\'s field', () => {
  test('a cluster missing from the fleet', () => {
    const fleet = fleetWith((f) => {
      f.spec.workspaces[1].clusters.splice(0, 1);
    });
    expect(differences(fleet)).toEqual([{
      path: 'spec.workspaces[1].clusters',
      message: 'cluster "batch" (Cluster team-b/batch) runs in workspace "team-b" but is not in the fleet: it would not be upgraded',
    }]);
  });

  test('an attached cluster missing from the fleet', () => {
    const fleet = fleetWith((f) => {
      f.spec.workspaces[0].clusters.splice(0, 1);
    });
    expect(differences(fleet)).toEqual([{
      path: 'spec.workspaces[0].clusters',
      message: 'cluster "eks-legacy" (attached, KommanderCluster team-a-x7k2p/eks-legacy) runs in workspace "team-a" but is not in the fleet: '
        + 'it would not be upgraded',
    }]);
  });

  test('an extra cluster in the fleet', () => {
    const fleet = fleetWith((f) => {
      f.spec.workspaces[1].clusters.push({ name: 'ghost', provider: 'azure', kubernetesVersion: '1.21.6' });
    });
    expect(differences(fleet)).toEqual([{
      path: 'spec.workspaces[1].clusters[2]',
      message: 'cluster "ghost" is not in the snapshot: no KommanderCluster references a Cluster API Cluster of that name',
    }]);
  });

  test('a cluster in another workspace than the cluster has it in', () => {
    const fleet = fleetWith((f) => {
      const batch = f.spec.workspaces[1].clusters.splice(0, 1)[0];
      f.spec.workspaces[0].clusters.push({ ...batch, namespace: 'team-b' });
    });
    expect(differences(fleet)).toEqual([{
      path: 'spec.workspaces[0].clusters[2]',
      message: 'cluster "batch" is in workspace "team-a" in the fleet; the snapshot has it in workspace "team-b"',
    }]);
  });

  test('a node pool missing from the fleet', () => {
    const fleet = fleetWith((f) => {
      f.spec.workspaces[0].clusters[1].nodePools.splice(1, 1);
    });
    expect(differences(fleet)).toEqual([{
      path: 'spec.workspaces[0].clusters[1].nodePools',
      message: 'node pool "prod-east-md-1" (MachineDeployment team-a-x7k2p/prod-east-md-1) is not in the fleet: it would stay on Kubernetes 1.21.5 '
        + 'while the control plane moves',
    }]);
  });

  test('an extra node pool in the fleet', () => {
    const fleet = fleetWith((f) => {
      f.spec.management.nodePools.push({ name: 'dkp-mgmt-md-1' });
    });
    expect(differences(fleet)).toEqual([{
      path: 'spec.management.nodePools[1]',
      message: 'node pool "dkp-mgmt-md-1" is not in the snapshot: cluster "dkp-mgmt" has no MachineDeployment default/dkp-mgmt-md-1',
    }]);
  });

  test('the Kubernetes version of a control plane differs', () => {
    const snapshot = snapshotWith((o) => {
      find(o, 'KubeadmControlPlane', 'batch-cp').spec.version = 'v1.21.7';
    });
    expect(differences(EQUAL, snapshot)).toEqual([{
      path: 'spec.workspaces[1].clusters[0].kubernetesVersion',
      message: 'the fleet says 1.21.6; KubeadmControlPlane team-b/batch-cp runs 1.21.7',
    }]);
  });

  test('the Kubernetes version of a node pool differs', () => {
    const snapshot = snapshotWith((o) => {
      find(o, 'MachineDeployment', 'prod-east-md-1').spec.template.spec.version = 'v1.21.6';
    });
    expect(differences(EQUAL, snapshot)).toEqual([{
      path: 'spec.workspaces[0].clusters[1].nodePools[1].kubernetesVersion',
      message: 'the fleet says 1.21.5; MachineDeployment team-a-x7k2p/prod-east-md-1 runs 1.21.6',
    }]);
  });

  test('the management cluster\'s version differs: its control plane, and its node pool, which takes the cluster\'s version by default', () => {
    const fleet = fleetWith((f) => {
      f.spec.management.kubernetesVersion = '1.21.5';
    });
    expect(differences(fleet)).toEqual([
      { path: 'spec.management.kubernetesVersion', message: 'the fleet says 1.21.5; KubeadmControlPlane default/dkp-mgmt-control-plane runs 1.21.6' },
      {
        path: 'spec.management.nodePools[0].kubernetesVersion',
        message: 'the fleet says 1.21.5 (the cluster\'s version); MachineDeployment default/dkp-mgmt-md-0 runs 1.21.6',
      },
    ]);
  });

  test('the Kubernetes version of a ClusterClass cluster or an attached cluster differs', () => {
    const snapshot = snapshotWith((o) => {
      find(o, 'Cluster', 'cc-prod').spec.topology.version = 'v1.22.8';
      find(o, 'KommanderCluster', 'eks-legacy').status.kubernetesVersion = 'v1.22.9-eks-0389ca3';
    });
    expect(differences(EQUAL, snapshot)).toEqual([
      { path: 'spec.workspaces[0].clusters[0].kubernetesVersion', message: 'the fleet says 1.21.14; KommanderCluster team-a-x7k2p/eks-legacy runs 1.22.9' },
      { path: 'spec.workspaces[1].clusters[1].kubernetesVersion', message: 'the fleet says 1.21.6; Cluster team-b/cc-prod spec.topology.version runs 1.22.8' },
    ]);
  });

  test('a platform app missing from the fleet', () => {
    const fleet = fleetWith((f) => {
      f.spec.workspaces[0].platformApps = f.spec.workspaces[0].platformApps.filter((a: unknown) => a !== 'reloader');
      f.spec.management.platformApps = f.spec.management.platformApps.filter((a: unknown) => a !== 'dex');
    });
    expect(differences(fleet)).toEqual([
      {
        path: 'spec.management.platformApps',
        message: 'platform app "dex" is enabled in the management cluster (AppDeployment kommander/dex, ClusterApp dex-2.9.10) but absent from the fleet: '
          + 'it would stay on its old version while Kubernetes moves',
      },
      {
        path: 'spec.workspaces[0].platformApps',
        message: 'platform app "reloader" is enabled in workspace "team-a" (AppDeployment team-a-x7k2p/reloader, ClusterApp reloader-0.0.99) but absent '
          + 'from the fleet: it would stay on its old version while Kubernetes moves',
      },
    ]);
  });

  test('one of Kommander\'s own apps missing from spec.kommander.appDeployments', () => {
    const fleet = fleetWith((f) => {
      f.spec.kommander.appDeployments = ['kommander'];
    });
    expect(differences(fleet)).toEqual([{
      path: 'spec.kommander.appDeployments',
      message: 'platform app "kommander-appmanagement" is enabled in the management cluster (AppDeployment kommander/kommander-appmanagement, '
        + 'ClusterApp kommander-appmanagement-0.1.0) but absent from the fleet: it would stay on its old version while Kubernetes moves',
    }]);
  });

  test('a catalog app missing from the fleet, in a workspace and in a project', () => {
    const fleet = fleetWith((f) => {
      delete f.spec.workspaces[1].catalogApps;
      delete f.spec.workspaces[0].projects[0].catalogApps;
    });
    expect(differences(fleet)).toEqual([
      {
        path: 'spec.workspaces[0].projects[0].catalogApps',
        message: 'catalog app "zookeeper-operator" is enabled in project "payments" (AppDeployment payments-7fz2q/zookeeper-operator, '
          + 'App zookeeper-operator-0.2.13) but absent from the fleet: it would stay on its old version while Kubernetes moves',
      },
      {
        path: 'spec.workspaces[1].catalogApps',
        message: 'catalog app "zookeeper-operator" is enabled in workspace "team-b" (AppDeployment team-b/zookeeper-operator, '
          + 'App zookeeper-operator-0.2.13) but absent from the fleet: it would stay on its old version while Kubernetes moves',
      },
    ]);
  });

  test('an app in the fleet that the cluster does not run', () => {
    const fleet = fleetWith((f) => {
      f.spec.workspaces[1].platformApps.push('velero');
      f.spec.management.catalogApps = [{ name: 'kafka-operator' }];
    });
    expect(differences(fleet)).toEqual([
      {
        path: 'spec.management.catalogApps[0]',
        message: 'catalog app "kafka-operator" is in the fleet, but the management cluster does not run it (no AppDeployment kommander/kafka-operator)',
      },
      {
        path: 'spec.workspaces[1].platformApps[3]',
        message: 'platform app "velero" is in the fleet, but workspace "team-b" does not run it (no AppDeployment team-b/velero)',
      },
    ]);
  });

  test('a workspace without platformApps takes the release\'s defaults: each default the cluster does not run is a difference', () => {
    const fleet = fleetWith((f) => {
      delete f.spec.workspaces[1].platformApps;
    });
    const found = differences(fleet);
    expect(found.every((d) => d.path === 'spec.workspaces[1].platformApps')).toBe(true);
    expect(found.map((d) => d.message)).toContain('the fleet lists no platformApps, so release 2.2.0\'s default "reloader" would be deployed; '
      + 'workspace "team-b" does not run it (no AppDeployment team-b/reloader)');
    expect(found.map((d) => d.message).filter((m) => /"(cert-manager|gatekeeper|traefik)"/.test(m))).toEqual([]);
  });

  test('a workspace missing from the fleet', () => {
    const fleet = fleetWith((f) => {
      f.spec.workspaces.splice(1, 1);
    });
    expect(differences(fleet)).toEqual([{
      path: 'spec.workspaces',
      message: 'workspace "team-b" (namespace team-b) is not in the fleet: its clusters (batch, cc-prod) and its apps would not be upgraded',
    }]);
  });

  test('an extra workspace in the fleet', () => {
    const fleet = fleetWith((f) => {
      f.spec.workspaces.push({ name: 'team-c' });
    });
    expect(differences(fleet)).toEqual([
      { path: 'spec.workspaces[2]', message: 'workspace "team-c" is not in the snapshot: there is no Workspace of that name' },
    ]);
  });

  test('the empty default workspace is not a difference, in the fleet or out of it', () => {
    const fleet = fleetWith((f) => {
      f.spec.workspaces.push({ name: 'default-workspace', namespace: 'kommander-default-workspace', platformApps: [] });
    });
    expect(differences(fleet)).toEqual([]);
  });

  test('a project missing from the fleet', () => {
    const fleet = fleetWith((f) => {
      delete f.spec.workspaces[1].projects;
    });
    expect(differences(fleet)).toEqual([{
      path: 'spec.workspaces[1].projects',
      message: 'project "analytics" (namespace analytics) of workspace "team-b" is not in the fleet',
    }]);
  });

  test('a project missing from the fleet, with its apps', () => {
    const fleet = fleetWith((f) => {
      delete f.spec.workspaces[0].projects;
    });
    expect(differences(fleet)).toEqual([{
      path: 'spec.workspaces[0].projects',
      message: 'project "payments" (namespace payments-7fz2q) of workspace "team-a" is not in the fleet: its apps would stay on their old versions '
        + 'while Kubernetes moves',
    }]);
  });

  test('an extra project, and a project placed on other clusters', () => {
    const fleet = fleetWith((f) => {
      f.spec.workspaces[0].projects[0].clusters = ['eks-legacy', 'prod-east'];
      f.spec.workspaces[0].projects.push({ name: 'ghost' });
    });
    expect(differences(fleet)).toEqual([
      {
        path: 'spec.workspaces[0].projects[0].clusters',
        message: 'the fleet places project "payments" on eks-legacy, prod-east; its placement in the cluster is prod-east',
      },
      { path: 'spec.workspaces[0].projects[1]', message: 'project "ghost" is not in the snapshot: workspace "team-a" has no such Project' },
    ]);
  });

  test('the current release differs from the one the cluster runs', () => {
    const fleet = fleetWith((f) => {
      f.spec.currentRelease = '2.1.0';
    });
    expect(differences(fleet)).toEqual([{
      path: 'spec.currentRelease',
      message: 'the fleet says 2.1.0; the cluster runs 2.1.1 (from AppDeployment kommander/kommander (ClusterApp kommander-0.1.0): kommander 0.1.0, '
        + 'which releases 2.1.0, 2.1.1, 2.1.2, 2.1.3, 2.1.4, 2.1.5 ship; of those, only 2.1.1 ships the versions of the platform apps running)',
    }]);
  });

  test('names, namespaces, types and kubeconfig Secrets that differ', () => {
    const fleet = fleetWith((f) => {
      f.metadata.name = 'mgmt';
      f.spec.management.name = 'mgmt';
      f.spec.workspaces[1].namespace = 'team-b-ns';
      f.spec.workspaces[1].clusters[0].controlPlane = { name: 'batch-control-plane' };
      f.spec.workspaces[1].clusters[1] = { name: 'cc-prod', type: 'attached', kubernetesVersion: '1.21.6' };
      delete f.spec.workspaces[0].clusters[0].kubeConfig;
    });
    expect(differences(fleet)).toEqual([
      { path: 'spec.management.name', message: 'the fleet says "mgmt"; the management cluster is Cluster default/dkp-mgmt' },
      {
        path: 'spec.management.controlPlane.name',
        message: 'the fleet says "mgmt-control-plane"; the control plane of Cluster default/dkp-mgmt is KubeadmControlPlane default/dkp-mgmt-control-plane',
      },
      {
        path: 'spec.workspaces[0].clusters[0].kubeConfig',
        message: 'the fleet\'s kubeconfig Secret is "eks-legacy-kubeconfig"; Kommander\'s is "eks-legacy-kubeconfig-4tq8z"',
      },
      { path: 'spec.workspaces[1].namespace', message: 'the fleet says "team-b-ns"; workspace "team-b" has namespace "team-b"' },
      { path: 'spec.workspaces[1].clusters[0].namespace', message: 'the fleet says "team-b-ns"; Cluster team-b/batch is in namespace "team-b"' },
      {
        path: 'spec.workspaces[1].clusters[0].controlPlane.name',
        message: 'the fleet says "batch-control-plane"; the control plane of Cluster team-b/batch is KubeadmControlPlane team-b/batch-cp',
      },
      { path: 'spec.workspaces[1].clusters[1].type', message: 'the fleet says attached; Cluster team-b/cc-prod is a managed cluster' },
    ]);
  });
});

describe('compare: bad input', () => {
  test('fails if the fleet file is refused by the fleet loader, with its usual problems', () => {
    const fleet = fleetWith((f) => {
      f.spec.management.kubernetesVersion = '1.21';
      f.spec.workspaces[0].colour = 'blue';
    });
    expect(problemsOf(() => compare(SNAPSHOT, fleet, 'fleet.yaml'))).toEqual([
      'fleet.yaml:15: spec.management.kubernetesVersion: "1.21" is not a Kubernetes version; expected MAJOR.MINOR.PATCH such as 1.22.8',
      'fleet.yaml:60: spec.workspaces[0].colour: unknown field; allowed fields: name, namespace, platformApps, catalogApps, customApps, projects, clusters',
    ]);
  });

  test('fails if the snapshot is refused, naming the snapshot file', () => {
    expect(problemsOf(() => compare('items: [', EQUAL, 'fleet.yaml', 'cluster.yaml'))[0]).toMatch(/^cluster\.yaml:1: \(syntax\): malformed YAML: /);
  });
});
