import { baseFleet } from '../../helpers';

/** Wave 1 (canary) soaks 2h; wave 2 (west, east, north) may lose one cluster. */
export function rolloutFleet(): any {
  const f = baseFleet();
  f.spec.flux = { gateImage: 'registry.example/kubectl:v1.22.8' };
  f.spec.workspaces[0].clusters = ['canary', 'west', 'east', 'north'].map((name, i) => ({
    name, provider: 'azure', kubernetesVersion: '1.21.6', wave: i === 0 ? 1 : 2, nodePools: [{ name: `${name}-md-0` }],
  }));
  f.spec.rollout = { waves: [{ wave: 1, soak: '2h' }, { wave: 2, maxFailures: 1 }] };
  return f;
}

