import * as fs from 'fs';
import * as path from 'path';
import { SchemaRegistry } from './schema-registry';
import { formatFileError, validateDist } from './validate-dist';
import { ObjectValidator } from './validate-object';

/**
 * `npm run validate [dir]`: validates every object of a synthesized folder (default `dist`)
 * against the upstream CRDs in `$SHARED_DIR/crds` (default `../shared/crds`), the project's own
 * `crds/`, and the core kinds. Prints `path: error` lines and a summary; exit 1 on any error.
 */
export function projectRoot(): string {
  return path.resolve(__dirname, '..', '..', '..');
}

/** The CRD sources: the upstream CRDs beside the project and the project's own. */
export function crdSources(root = projectRoot()): string[] {
  const shared = path.resolve(process.env.SHARED_DIR ?? path.join(root, '..', 'shared'));
  return [path.join(shared, 'crds'), path.join(root, 'crds')];
}

function main(argv: readonly string[]): number {
  const dir = argv[0] ?? 'dist';
  if (argv.length > 1 || dir.startsWith('-')) {
    process.stderr.write('usage: npm run validate [dir]   (default dir: dist)\n');
    return 2;
  }
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    process.stderr.write(`validate: ${dir} is not a folder; synthesize first (npx cdk8s synth --no-check-upgrade)\n`);
    return 1;
  }
  let registry: SchemaRegistry;
  try {
    registry = SchemaRegistry.load(crdSources());
  } catch (e) {
    process.stderr.write(`validate: cannot load the schemas: ${(e as Error).message} (set SHARED_DIR to the folder holding crds/)\n`);
    return 1;
  }
  const result = validateDist(dir, new ObjectValidator(registry));
  for (const e of result.errors) process.stdout.write(`${formatFileError(e, dir)}\n`);
  for (const n of result.notes) process.stdout.write(`note: ${n}\n`);
  const files = new Set(result.errors.map((e) => e.file)).size;
  process.stdout.write(`validate: ${dir}: ${result.objects} objects and ${result.kustomizations} kustomization.yaml files checked; `
    + `${result.errors.length === 0
      ? 'no errors'
      : `${result.errors.length} error${result.errors.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}`}\n`);
  return result.errors.length === 0 ? 0 : 1;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
