import { OutputFile } from './dist-files';
import { FleetError, Problem } from '../input/problems';

/**
 * The last line of defence against secrets in Git (issue: nothing secret): every output file is
 * scanned before it is written, and a file that holds key material is not written at all. Addon
 * Secrets are taken out by the planner (a ClusterResourceSet names a Secret the user creates);
 * this finds what no rule foresaw: a private key in a ConfigMap, a kubeconfig's client key or
 * token, a Secret manifest with data in a values template.
 */
interface Rule {
  readonly what: string;
  readonly test: (text: string) => RegExpExecArray | null;
}

const RULES: readonly Rule[] = [
  { what: 'a PEM private key', test: (t) => /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/.exec(t) },
  { what: 'a kubeconfig client key (client-key-data)', test: (t) => /\bclient-key-data:[ \t]*["']?[A-Za-z0-9+/=]{16,}/.exec(t) },
  { what: 'a bearer token (a signed JWT)', test: (t) => /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/.exec(t) },
  {
    what: 'a kubeconfig token',
    test: (t) => (/^[ \t]*kind:[ \t]*["']?Config["']?[ \t]*$/m.test(t) && /^[ \t]*users:/m.test(t) ? /^[ \t]*token:[ \t]*["']?[^\s"'][^\s]{7,}/m.exec(t) : null),
  },
  { what: 'a Secret manifest with data', test: secretWithData },
];

/** A `kind: Secret` document (at any indentation: manifests inside ConfigMap data included) followed by data or stringData. */
function secretWithData(text: string): RegExpExecArray | null {
  const kind = /^([ \t]*)kind:[ \t]*["']?Secret["']?[ \t]*(?:#.*)?$/gm;
  for (let m = kind.exec(text); m !== null; m = kind.exec(text)) {
    const indent = m[1].length;
    // the document around it: from the separator before to the one after, at any indentation
    const separators = [...text.matchAll(/\n[ \t]*---[ \t]*(?=\n|$)/g)].map((x) => x.index!);
    const start = Math.max(0, ...separators.filter((i) => i < m!.index));
    const end = separators.find((i) => i > m!.index) ?? text.length;
    const data = new RegExp(`^[ \\t]{${indent}}(?:data|stringData):[ \\t]*(.*)$`, 'm').exec(text.slice(start, end));
    // empty is `{}`, `null` or `~`, a comment after it included
    if (data !== null && !/^(\{\}|null|~)$/.test(data[1].replace(/\s#.*$/, '').trim())) return m;
  }
  return null;
}

/** The line (1-based) of an offset. */
function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** What key material a file holds, one problem per kind found. */
export function keyMaterialIn(file: OutputFile, outdir: string): Problem[] {
  const out: Problem[] = [];
  for (const r of RULES) {
    const m = r.test(file.content);
    if (m !== null) {
      out.push({
        file: `${outdir}/${file.path}`, line: lineOf(file.content, m.index), path: '(content)',
        message: `would hold ${r.what}: dkp-fleet never writes secrets to the output. Take it out of the addon manifests or values it came from; `
          + 'a Secret an addon needs is created on the management cluster and named by its ClusterResourceSet (README, "Security")',
      });
    }
  }
  return out;
}

/**
 * Passes on the files that hold no key material; when any does, withholds it and, once every
 * file was seen, throws naming each (before a caller swaps anything in).
 *
 * @throws FleetError naming each file and what it would have held
 */
export function* withoutKeyMaterial(files: Iterable<OutputFile>, outdir: string): Generator<OutputFile> {
  const problems: Problem[] = [];
  for (const f of files) {
    const found = keyMaterialIn(f, outdir);
    if (found.length === 0) yield f;
    else problems.push(...found);
  }
  if (problems.length > 0) throw new FleetError(problems);
}
