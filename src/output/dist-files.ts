import * as YAML from 'yaml';
import { FastYaml, YAML_OPTIONS } from './fast-yaml';
import { RenderedFolder } from '../render/render-plan';
import { NO_PROGRESS, Progress } from './progress';

/** A file of the output, with its path relative to dist/ (always `/`-separated). */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
}

/**
 * YAML as Go parsers read it: YAML 1.1 quoting (so `on`, `yes` or `1.20` stay strings), no
 * line folding, keys in the order the objects carry them.
 */
export function toYaml(value: unknown): string {
  return YAML.stringify(value, YAML_OPTIONS);
}

/** The kustomize entry point of a folder: every file in it, sorted. */
export function kustomizationFile(resources: readonly string[], yaml: FastYaml = new FastYaml()): string {
  return yaml.stringify({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [...resources].sort(),
  });
}

/**
 * Every output file: one per object, plus a `kustomization.yaml` per folder, so each folder
 * builds with `kubectl kustomize`. Sorted by path.
 */
export function distFiles(folders: readonly RenderedFolder[], progress: Progress = NO_PROGRESS): OutputFile[] {
  const files: OutputFile[] = [];
  const yaml = new FastYaml();
  for (const [i, f] of folders.entries()) {
    progress('serializing folders', i + 1, folders.length);
    for (const o of f.objects) {
      files.push({ path: `${f.name}/${o.file}`, content: yaml.stringify(o.object) });
    }
    files.push({ path: `${f.name}/kustomization.yaml`, content: kustomizationFile(f.objects.map((o) => o.file), yaml) });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
