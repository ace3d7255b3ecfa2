import * as YAML from 'yaml';

/** The shape of the benchmark fleets (DESIGN §8). */
export interface BenchFleetProps {
  /** Managed clusters in the fleet. */
  readonly clusters: number;
  /** Clusters per workspace. @default 10 */
  readonly clustersPerWorkspace?: number;
}

/**
 * A fleet of `clusters` managed Azure clusters upgraded from DKP 2.1.1 to 2.2.0: 10 per
 * workspace, 2 node pools each, the release's default workspace apps (no `platformApps` list)
 * and two catalog apps per workspace, core addons by ClusterResourceSet from `./addons` (the
 * caller puts a copy of examples/addons-azure there). The first cluster is a wave of its own, so
 * the fleet has the canary shape real ones have.
 */
export function benchFleetYaml(props: BenchFleetProps): string {
  const perWorkspace = props.clustersPerWorkspace ?? 10;
  const workspaces = [];
  for (let w = 0; w * perWorkspace < props.clusters; w++) {
    const clusters = [];
    for (let c = 0; c < perWorkspace && w * perWorkspace + c < props.clusters; c++) {
      const name = `c${w}-${c}`;
      clusters.push({
        name,
        provider: 'azure',
        kubernetesVersion: '1.21.6',
        wave: w === 0 && c === 0 ? 1 : 2,
        nodePools: [{ name: `${name}-md-0` }, { name: `${name}-md-1` }],
      });
    }
    workspaces.push({ name: `ws-${w}`, catalogApps: ['kafka-operator', 'zookeeper-operator'], clusters });
  }
  return YAML.stringify({
    apiVersion: 'dkp-fleet/v1alpha1',
    kind: 'Fleet',
    metadata: { name: `bench-${props.clusters}` },
    spec: {
      release: '2.2.0',
      currentRelease: '2.1.1',
      // core addons by ClusterResourceSet, as DKP 2.1 and 2.2 deliver them: the placeholder manifests of examples/addons-azure
      konvoy: { providerComponents: 'configMaps', addons: { manifests: './addons' } },
      management: {
        name: 'mgmt',
        provider: 'azure',
        kubernetesVersion: '1.21.6',
        nodePools: [{ name: 'mgmt-md-0' }],
        platformApps: ['cert-manager', 'traefik', 'kube-prometheus-stack', 'grafana-logging', 'grafana-loki', 'logging-operator'],
      },
      workspaces,
    },
  });
}
