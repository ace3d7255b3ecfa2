// Benchmark child: the floor of DESIGN §8. Reads the documents a synthesis wrote (not timed),
// then writes the same documents to the same files with the `yaml` package and nothing else
// (timed): a folder per layer, YAML.stringify per document, one write per file.
// usage: node lib/bench/floor-child.js <dist written by synth> <outdir>
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as YAML from 'yaml';
import { measure } from './measure';

const OPTIONS = { version: '1.1', lineWidth: 0 } as const; // the options dist/ is written with

const ready = performance.now(); // Node started and `yaml` loaded; what follows until the timed part is preparation
const [source, outdir] = process.argv.slice(2);
const documents: { readonly file: string; readonly doc?: unknown; readonly text?: string }[] = [];
for (const e of fs.readdirSync(source, { withFileTypes: true, recursive: true })) {
  if (!e.isFile()) continue;
  const full = path.join(e.parentPath, e.name);
  const file = path.relative(source, full);
  const text = fs.readFileSync(full, 'utf8');
  // PLAN.md is not YAML: the floor writes its text as it is
  documents.push(file.endsWith('.yaml') ? { file, doc: YAML.parse(text, { version: '1.1' }) } : { file, text });
}

measure(() => {
  let bytes = 0;
  const made = new Set<string>();
  for (const d of documents) {
    const target = path.join(outdir, d.file);
    const dir = path.dirname(target);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    const content = d.text ?? YAML.stringify(d.doc, OPTIONS);
    fs.writeFileSync(target, content);
    bytes += Buffer.byteLength(content);
  }
  return { files: documents.length, bytes };
}, ready);
