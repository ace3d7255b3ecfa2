import * as YAML from 'yaml';

/** The Secret manifests of one addon file, which dist/ never holds. */
export interface SecretManifests {
  /** The manifest file they were in (a key of the addon's files). */
  readonly file: string;
  /** `namespace/name` of each Secret, in file order. */
  readonly secrets: readonly string[];
}

/** An addon's manifests split into what dist/ may hold and the Secrets it must not. */
export interface SplitManifests {
  /** The files without their Secret documents (a file of Secrets only is gone); files without a Secret are kept verbatim. */
  readonly files: ReadonlyMap<string, string>;
  readonly secrets: readonly SecretManifests[];
}

const isSecret = (o: unknown): o is { metadata?: { name?: unknown; namespace?: unknown } } =>
  typeof o === 'object' && o !== null && (o as { kind?: unknown }).kind === 'Secret' && (o as { apiVersion?: unknown }).apiVersion === 'v1';

/**
 * Takes the Secret documents out of an addon's manifests (issue: nothing secret in Git): real
 * addon manifests carry credentials (the vSphere CSI driver's `csi-vsphere-config`), and a
 * ConfigMap in dist/ would put them in Git. The other documents keep their text exactly.
 */
export function splitSecrets(files: ReadonlyMap<string, string>): SplitManifests {
  const kept = new Map<string, string>();
  const secrets: SecretManifests[] = [];
  for (const [file, text] of files) {
    const docs = YAML.parseAllDocuments(text);
    const found = docs.filter((d) => isSecret(d.toJS()));
    if (found.length === 0) {
      kept.set(file, text);
      continue;
    }
    secrets.push({
      file,
      secrets: found.map((d) => {
        const m = (d.toJS() as { metadata?: { name?: unknown; namespace?: unknown } }).metadata ?? {};
        return `${typeof m.namespace === 'string' ? m.namespace : 'default'}/${typeof m.name === 'string' ? m.name : '(unnamed)'}`;
      }),
    });
    const rest = docs.filter((d) => !isSecret(d.toJS()) && d.contents !== null)
      .map((d) => text.slice(d.range[0], d.range[2]).replace(/^---[^\n]*(\n|$)/, '').replace(/\s+$/, ''))
      .filter((t) => t !== ''); // a document marker with nothing after it (a trailing ---) is no document
    if (rest.length > 0) kept.set(file, `${rest.join('\n---\n')}\n`);
  }
  return { files: kept, secrets };
}
