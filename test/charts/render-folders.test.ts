import * as path from 'path';
import { parse } from 'yaml';
import { FLEET_FOLDER } from '../../src/charts/fleet-chart';
import { joinParts, renderFolders } from '../../src/charts/render-folders';
import { folderFiles } from '../../src/output/dist-files';
import { planSynthesis } from '../../src/synth';
import { ROOT } from '../helpers';

const planned = planSynthesis({ fleetFile: path.join(ROOT, 'examples/two-workspaces-waves.yaml') });

describe('the fleet folder of a large fleet comes in parts', () => {
  const whole = [...renderFolders(planned.plan, planned.gates)];
  const parts = [...renderFolders(planned.plan, planned.gates, undefined, 4)];
  const fleetParts = parts.filter((f) => f.name === FLEET_FOLDER);

  test('one part per batch of layers, each but the last saying it continues', () => {
    expect(fleetParts).toHaveLength(Math.ceil(planned.plan.layers.length / 4));
    expect(fleetParts.map((f) => f.continues ?? false)).toEqual(fleetParts.map((_, i) => i < fleetParts.length - 1));
    expect(fleetParts.map((f) => f.objects.length).slice(0, -1).every((n) => n === 4)).toBe(true);
  });

  test('joined, the parts are the folder rendered at once', () => {
    expect(whole.filter((f) => f.name === FLEET_FOLDER)).toHaveLength(1);
    expect(joinParts(parts)).toEqual(joinParts(whole));
    expect(joinParts(parts).map((f) => f.name)).toEqual(whole.map((f) => f.name));
  });

  test('kustomization.yaml is written once, with the last part, and lists the Kustomization of every layer', () => {
    const files = fleetParts.flatMap((f) => folderFiles(f));
    const kustomizations = files.filter((f) => f.path === `${FLEET_FOLDER}/kustomization.yaml`);
    expect(kustomizations).toHaveLength(1);
    expect(files[files.length - 1]).toBe(kustomizations[0]);
    expect(parse(kustomizations[0].content).resources).toEqual(planned.plan.layers.map((l) => `${l.name}.yaml`).sort());
    const wholeFiles = whole.filter((f) => f.name === FLEET_FOLDER).flatMap((f) => folderFiles(f));
    expect([...files].sort((a, b) => a.path.localeCompare(b.path))).toEqual([...wholeFiles].sort((a, b) => a.path.localeCompare(b.path)));
  });
});
