#!/usr/bin/env node
// Regenerates the typed CRD bindings in imports/ with `cdk8s import` (npm run import).
//
// Upstream CRDs are read from ../shared/crds (override with SHARED_DIR) and never copied into
// the project. Two pitfalls of `cdk8s import` are handled here (see ../shared/crds/README.md):
//  - the output file is named after the API group, so CRDs of one project are concatenated
//    into one module (`<module>:=<file>`) instead of being imported one by one;
//  - for multi-version CRDs the unsuffixed class is the first listed version, so only the
//    served versions are kept (on a scratch copy) and `ClusterV1Beta1` becomes `Cluster`.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const YAML = require('yaml');

const root = path.resolve(__dirname, '..');
const shared = path.resolve(process.env.SHARED_DIR || path.join(root, '..', 'shared'));
const upstream = (file) => path.join(shared, 'crds', file);
const local = (file) => path.join(root, 'crds', file);

/**
 * One `cdk8s import` module per upstream project, with only the kinds dkp-fleet writes through
 * typed classes (Cluster API version patches are partial objects, written untyped).
 */
const MODULES = [
  {
    name: 'flux',
    files: [
      upstream('fluxcd-kustomize-controller/kustomize.toolkit.fluxcd.io_kustomizations.yaml'),
    ],
  },
  {
    name: 'capi',
    files: [
      upstream('cluster-api/addons.cluster.x-k8s.io_clusterresourcesets.yaml'),
    ],
  },
  {
    name: 'capi-operator',
    files: [
      upstream('cluster-api-operator/operator.cluster.x-k8s.io_coreproviders.yaml'),
      upstream('cluster-api-operator/operator.cluster.x-k8s.io_bootstrapproviders.yaml'),
      upstream('cluster-api-operator/operator.cluster.x-k8s.io_controlplaneproviders.yaml'),
      upstream('cluster-api-operator/operator.cluster.x-k8s.io_infrastructureproviders.yaml'),
    ],
  },
  {
    name: 'caaph',
    files: [upstream('cluster-api-addon-provider-helm/addons.cluster.x-k8s.io_helmchartproxies.yaml')],
  },
  {
    name: 'kommander',
    files: [local('kommander-apps.yaml')],
  },
];

function servedOnly(file) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS()).filter(Boolean);
  for (const crd of docs) {
    crd.spec.versions = crd.spec.versions.filter((v) => v.served);
  }
  return docs;
}

function main() {
  for (const m of MODULES) {
    for (const f of m.files) {
      if (!fs.existsSync(f)) {
        throw new Error(`missing CRD file ${f} (set SHARED_DIR to the folder that holds crds/)`);
      }
    }
  }
  const outdir = path.join(root, 'imports');
  fs.rmSync(outdir, { recursive: true, force: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dkp-fleet-crds-'));
  try {
    for (const m of MODULES) {
      const docs = m.files.flatMap(servedOnly);
      const file = path.join(scratch, `${m.name}.yaml`);
      fs.writeFileSync(file, docs.map((d) => YAML.stringify(d)).join('---\n'));
      execFileSync(
        path.join(root, 'node_modules', '.bin', 'cdk8s'),
        ['import', `${m.name}:=${file}`, '--language', 'typescript', '--output', outdir, '--no-check-upgrade'],
        { cwd: root, stdio: 'inherit' },
      );
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main();
