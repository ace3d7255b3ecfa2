import * as fs from 'fs';
import * as path from 'path';
import { OutputFile } from '../../src/output/dist-files';
import { writeAtomically } from '../../src/output/write-atomically';
import { outputFiles, planSynthesis, synthesize, synthToDist } from '../../src/synth';
import { existingDist, fingerprint, ROOT, tempDir } from '../helpers';

/** Every file under `dir` with its text, by `/`-separated relative path. */
function contents(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => [f.split(path.sep).join('/'), fs.readFileSync(path.join(dir, f), 'utf8')]));
}

describe('writeAtomically', () => {
  test('writes files as they are produced and replaces the folder, returning the count', () => {
    const { dist } = existingDist();
    function* files(): Generator<OutputFile> {
      yield { path: 'a/x.yaml', content: 'x: 1\n' };
      yield { path: 'b/y.yaml', content: 'y: 2\n' };
    }
    const seen: string[][] = [];
    expect(writeAtomically(dist, files(), (paths) => seen.push([...paths]))).toBe(2);
    expect(seen).toEqual([['a/x.yaml', 'b/y.yaml']]);
    expect(contents(dist)).toEqual({ 'a/x.yaml': 'x: 1\n', 'b/y.yaml': 'y: 2\n' });
  });

  test('fails if producing the files throws midway, leaving the folder unchanged and no staging folder', () => {
    const { dist, parent, before } = existingDist();
    function* files(): Generator<OutputFile> {
      yield { path: 'a/x.yaml', content: 'x: 1\n' };
      throw new Error('rendering failed');
    }
    expect(() => writeAtomically(dist, files())).toThrow('rendering failed');
    expect(fingerprint(dist)).toEqual(before);
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  });

  test('fails if the check before the swap refuses, leaving the folder unchanged', () => {
    const { dist, parent, before } = existingDist();
    expect(() => writeAtomically(dist, [{ path: 'a/x.yaml', content: 'x\n' }], () => {
      throw new Error('refused');
    })).toThrow('refused');
    expect(fingerprint(dist)).toEqual(before);
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  });

  test('fails if a path is produced twice, rather than overwriting it', () => {
    const { dist, before } = existingDist();
    expect(() => writeAtomically(dist, [{ path: 'a/x.yaml', content: '1\n' }, { path: 'a/x.yaml', content: '2\n' }])).toThrow(/EEXIST/);
    expect(fingerprint(dist)).toEqual(before);
  });
});

describe('streamed output', () => {
  test.each([
    'fleet.yaml', 'examples/two-workspaces-waves.yaml', 'examples/kommander-mode.yaml',
  ])('of %s is file for file what the in-memory synthesis holds', (f) => {
    const fleetFile = path.join(ROOT, f);
    const streamed = [...outputFiles(planSynthesis({ fleetFile }))];
    const inMemory = synthesize({ fleetFile }).files;
    expect(streamed.map((x) => x.path).sort()).toEqual(inMemory.map((x) => x.path));
    expect(Object.fromEntries(streamed.map((x) => [x.path, x.content]))).toEqual(Object.fromEntries(inMemory.map((x) => [x.path, x.content])));
    const dist = path.join(tempDir(), 'dist');
    expect(synthToDist({ fleetFile, outdir: dist }).fileCount).toBe(inMemory.length);
    expect(contents(dist)).toEqual(Object.fromEntries(inMemory.map((x) => [x.path, x.content])));
  });
});
