import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { splitSecrets } from '../../src/planner/addon-secrets';
import { baseFleet, fingerprint, ROOT, tempDir, toYaml } from '../helpers';

/**
 * Nothing secret in Git (issue 13): the vSphere CSI driver's manifests hold the vCenter
 * credentials in a Secret (`csi-vsphere-config`); `dkp upgrade addons ... --dry-run -o yaml` output
 * has it. The Secret is never copied into dist/: the ClusterResourceSet names a Secret the user
 * creates. Test data: the password below is made up.
 */
const PASSWORD = 'not-a-real-password-7f3a';
const CSI = `apiVersion: v1
kind: Namespace
metadata: {name: vmware-system-csi}
---
apiVersion: v1
kind: Secret
metadata: {name: csi-vsphere-config, namespace: vmware-system-csi}
stringData:
  csi-vsphere.conf: |
    [VirtualCenter "vcenter.example"]
    user = "administrator@vsphere.local"
    password = "${PASSWORD}"
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: vsphere-csi-node, namespace: vmware-system-csi}
spec:
  selector: {matchLabels: {app: vsphere-csi-node}}
  template:
    metadata: {labels: {app: vsphere-csi-node}}
    spec:
      containers: [{name: node-driver, image: registry.example/csi-node:v2.5.1}]
`;

const cli = path.join(ROOT, 'lib', 'src', 'cli.js');
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });

function fleetWithAddon(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, 'addons', rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'addons', rel), text);
  }
  const f = baseFleet();
  f.spec.konvoy.addons.manifests = './addons';
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), toYaml(f));
  return dir;
}

const everything = (dir: string) => Object.keys(fingerprint(dir)).map((p) => fs.readFileSync(path.join(dir, p), 'utf8')).join('\n');

describe('a Secret in addon manifests', () => {
  test('is never copied: the ClusterResourceSet names a Secret the user creates, PLAN.md says how, the preflight waits for it', () => {
    const dir = fleetWithAddon({ 'providers/azure/csi/manifests.yaml': CSI, 'providers/azure/calico/installation.yaml': 'kind: Installation\n' });
    const r = run(['synth', '--out', 'out'], dir);
    expect([r.status, r.stderr]).toEqual([0, expect.stringContaining('dkp-fleet: wrote out/')]);
    const out = path.join(dir, 'out');
    expect(everything(out)).not.toContain(PASSWORD);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);

    const set = YAML.parse(fs.readFileSync(path.join(out, 'cluster-prod-east-core-addons', 'clusterresourceset.team-a.csi-prod-east.yaml'), 'utf8'));
    expect(set.spec.resources).toEqual([{ kind: 'ConfigMap', name: 'csi-prod-east' }, { kind: 'Secret', name: 'csi-prod-east-secret' }]);
    const cm = YAML.parse(fs.readFileSync(path.join(out, 'cluster-prod-east-core-addons', 'configmap.team-a.csi-prod-east.yaml'), 'utf8'));
    const kinds = YAML.parseAllDocuments(cm.data['manifests.yaml']).map((d) => d.toJS().kind);
    expect(kinds).toEqual(['Namespace', 'DaemonSet']);

    const md = fs.readFileSync(path.join(out, 'PLAN.md'), 'utf8');
    expect(md).toContain('`kubectl create secret generic csi-prod-east-secret -n team-a --type=addons.cluster.x-k8s.io/resource-set '
      + '--from-file=manifests.yaml=<a file holding only the Secret documents of manifests.yaml: vmware-system-csi/csi-vsphere-config>`');
    const preflight = YAML.parse(fs.readFileSync(path.join(out, 'fleet', 'mgmt-preflight.yaml'), 'utf8'));
    expect(preflight.spec.healthChecks)
      .toEqual(expect.arrayContaining([{ apiVersion: 'v1', kind: 'Secret', name: 'csi-prod-east-secret', namespace: 'team-a' }]));
  });

  test('an addon of Secrets only gets no ConfigMap, only the Secret reference', () => {
    const secretOnly = CSI.split('---\n')[1];
    const dir = fleetWithAddon({ 'providers/azure/creds/secret.yaml': secretOnly, 'providers/azure/calico/installation.yaml': 'kind: Installation\n' });
    expect(run(['synth', '--out', 'out'], dir).status).toBe(0);
    const folder = path.join(dir, 'out', 'cluster-prod-east-core-addons');
    expect(fs.readdirSync(folder).filter((f) => f.includes('creds'))).toEqual(['clusterresourceset.team-a.creds-prod-east.yaml']);
    expect(YAML.parse(fs.readFileSync(path.join(folder, 'clusterresourceset.team-a.creds-prod-east.yaml'), 'utf8')).spec.resources)
      .toEqual([{ kind: 'Secret', name: 'creds-prod-east-secret' }]);
  });

  test('fails if any other file would carry key material: refused with the file, the output left as it was', () => {
    const dir = fleetWithAddon({ 'providers/azure/calico/installation.yaml': 'kind: Installation\n' });
    expect(run(['synth', '--out', 'out'], dir).status).toBe(0);
    const before = fingerprint(path.join(dir, 'out'));
    const key = ['-----BEGIN', 'EC PRIVATE KEY-----\nMHcCAQEEIBtestonly\n-----END EC PRIVATE KEY-----'].join(' ');
    fs.writeFileSync(path.join(dir, 'addons', 'providers', 'azure', 'calico', 'ca.yaml'),
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ca}\ndata:\n  key: |\n    ${key.replace(/\n/g, '\n    ')}\n`);
    const r = run(['synth', '--out', 'out'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/out\/cluster-prod-east-core-addons\/configmap\.team-a\.calico-prod-east\.yaml:\d+: \(content\): would hold a PEM private key/);
    expect(r.stderr).not.toContain('MHcCAQEEIBtestonly');
    expect(fingerprint(path.join(dir, 'out'))).toEqual(before);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.dkp-fleet'))).toEqual([]);
  });
});

describe('splitSecrets', () => {
  test('keeps files without a Secret byte for byte and the other documents of a file with one', () => {
    const files = new Map([['a.yaml', 'kind: ConfigMap # as written\n'], ['b.yaml', CSI]]);
    const split = splitSecrets(files);
    expect(split.files.get('a.yaml')).toBe('kind: ConfigMap # as written\n');
    expect(split.files.get('b.yaml')).not.toContain(PASSWORD);
    expect(split.secrets).toEqual([{ file: 'b.yaml', secrets: ['vmware-system-csi/csi-vsphere-config'] }]);
  });
});
