import { FluxSnapshot, FluxSource } from './flux-objects';
import { FluxSettings, SourceKind } from '../fleet/fleet';
import { Problems } from '../input/problems';

/**
 * The fleet's source (spec.flux.sourceRef) in a status snapshot, whose revision is the commit the
 * layers must be done at, and the command that takes the snapshot where Flux runs the layers.
 */

const PLURALS: Readonly<Record<SourceKind, string>> = { GitRepository: 'gitrepositories', OCIRepository: 'ocirepositories', Bucket: 'buckets' };

/** The command that takes the snapshot of a fleet: its Kustomizations and its kind of source, in every namespace. */
export function statusCommand(flux: FluxSettings): string {
  const plural = PLURALS[flux.sourceRef.kind] ?? 'gitrepositories';
  return `kubectl get kustomizations.kustomize.toolkit.fluxcd.io,${plural}.source.toolkit.fluxcd.io -A -o yaml`;
}

/** Where the snapshot is taken. */
export function whereFluxRuns(flux: FluxSettings): string {
  return flux.mode === 'hub' ? 'on the hub cluster, where Flux runs the layers' : 'on the management cluster, where Kommander\'s Flux runs the layers';
}

/** The fleet's source in the snapshot, its revision, or the problem. */
export function findSource(
  flux: FluxSettings, snapshot: FluxSnapshot, fleetFile: string, problems: Problems,
): { source: FluxSource; revision: string } | undefined {
  const ref = flux.sourceRef;
  const source = snapshot.sources.find((s) => s.kind === ref.kind && s.name === ref.name && s.namespace === ref.namespace);
  const wanted = `${ref.kind} ${ref.namespace}/${ref.name}`;
  if (source === undefined) {
    const alike = snapshot.sources.filter((s) => s.name === ref.name).map((s) => `${s.kind} ${s.namespace}/${s.name}`);
    problems.add('(document)', `holds no ${wanted} (spec.flux.sourceRef of ${fleetFile}), whose status.artifact.revision is the commit `
      + `the layers must be done at${alike.length > 0 ? ` (it holds ${alike.join(', ')})` : ''}; `
      + `take the snapshot with \`${statusCommand(flux)}\` ${whereFluxRuns(flux)}`);
    return undefined;
  }
  if (source.revision === undefined) {
    const ready = source.conditions.find((c) => c.type === 'Ready');
    const why = ready === undefined ? '' : ` (Ready=${ready.status}${ready.reason ? ` ${ready.reason}` : ''}${ready.message ? `: ${ready.message}` : ''})`;
    problems.add('(document)', `${wanted} has no status.artifact.revision: source-controller has not fetched it yet${why}, `
      + 'so no layer can be told done at a commit; take the snapshot again once it is Ready', source.line);
    return undefined;
  }
  return { source, revision: source.revision };
}
