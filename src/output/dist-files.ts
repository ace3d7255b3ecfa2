import { FastYaml } from './fast-yaml';
import { RenderedFolder } from '../charts/render-folders';
import { compareStrings } from '../input/compare';

/** A file of the output, with its path relative to dist/ (always `/`-separated). */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
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
 * The files of one folder: one per object, plus its `kustomization.yaml` (so it builds with
 * `kubectl kustomize`), which a folder that comes in parts gets with its last part.
 */
export function folderFiles(folder: RenderedFolder, yaml: FastYaml = new FastYaml()): OutputFile[] {
  const files = folder.objects.map((o) => ({ path: `${folder.name}/${o.file}`, content: yaml.stringify(o.object) }));
  if (!folder.continues) {
    files.push({ path: `${folder.name}/kustomization.yaml`, content: kustomizationFile(folder.allFiles ?? folder.objects.map((o) => o.file), yaml) });
  }
  return files;
}

/** Orders files by path, as the output lists them. */
export function byPath(a: OutputFile, b: OutputFile): number {
  return compareStrings(a.path, b.path);
}
