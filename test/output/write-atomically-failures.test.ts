import * as fs from 'fs';
// The module object itself (the namespace import above is a copy with fixed getters): spyOn replaces its renameSync for src too.
import nodeFs from 'fs';
import * as path from 'path';
import { writeAtomically } from '../../src/output/write-atomically';
import { existingDist, fingerprint, tempDir } from '../helpers';

/**
 * "Never write a partial dist/" (DESIGN §6.3) when the file system fails at the worst moment: the
 * renames of the swap, and a run killed between them.
 */

const NEW = [{ path: 'a/x.yaml', content: 'x: 1\n' }];

/** Makes renameSync fail for renames whose source matches. */
function failRename(when: (from: string) => boolean): jest.SpyInstance {
  const real = nodeFs.renameSync;
  return jest.spyOn(nodeFs, 'renameSync').mockImplementation((from, to) => {
    if (when(String(from))) throw Object.assign(new Error(`EIO: i/o error, rename '${String(from)}'`), { code: 'EIO' });
    real(from, to);
  });
}

afterEach(() => jest.restoreAllMocks());

describe('writeAtomically when a rename fails', () => {
  test('fails if the final rename fails, moving the old folder back: dist/ byte-for-byte as it was, nothing left beside it', () => {
    const { dist, parent, before } = existingDist();
    const spy = failRename((from) => path.basename(from).startsWith('.dkp-fleet-staging-'));
    expect(() => writeAtomically(dist, NEW)).toThrow('EIO: i/o error');
    expect(spy).toHaveBeenCalledTimes(3); // aside, in (fails), back
    expect(fingerprint(dist)).toEqual(before);
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  });

  test('fails if the final rename fails with no earlier folder, leaving none', () => {
    const parent = tempDir();
    const dist = path.join(parent, 'dist');
    failRename((from) => path.basename(from).startsWith('.dkp-fleet-staging-'));
    expect(() => writeAtomically(dist, NEW)).toThrow('EIO');
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  // A bug (reported): the first rename is outside the try that removes the staging folder, so a full copy of the new
  // output is left beside dist/ (.dkp-fleet-staging-*), which no later run removes.
  test('fails if moving the old folder aside fails, leaving it and removing the staging folder', () => {
    const { dist, parent, before } = existingDist();
    failRename((from) => from === dist);
    expect(() => writeAtomically(dist, NEW)).toThrow('EIO');
    expect(fingerprint(dist)).toEqual(before);
    expect(fs.readdirSync(parent).filter((f) => f.startsWith('.dkp-fleet-staging-'))).toEqual([]);
  });

  test('stages beside the output folder and leaves nothing else after a success', () => {
    const { dist, parent } = existingDist();
    const seen: string[] = [];
    const real = nodeFs.renameSync;
    jest.spyOn(nodeFs, 'renameSync').mockImplementation((from, to) => {
      seen.push(`${path.relative(parent, String(from))} -> ${path.relative(parent, String(to))}`);
      real(from, to);
    });
    expect(writeAtomically(dist, NEW)).toBe(1);
    expect(seen).toEqual([
      expect.stringMatching(/^dist -> \.dkp-fleet-previous-dist-\w{6}$/),
      expect.stringMatching(/^\.dkp-fleet-staging-dist-\w{6} -> dist$/),
    ]);
    expect(seen[0].slice(-6)).toBe(seen[1].split(' ')[0].slice(-6));
    expect(fs.readdirSync(parent)).toEqual(['dist']);
    expect(fs.readFileSync(path.join(dist, 'a', 'x.yaml'), 'utf8')).toBe('x: 1\n');
    expect(fs.existsSync(path.join(dist, 'layer'))).toBe(false);
  });
});

describe('writeAtomically after a run killed between the two renames', () => {
  function killed(): { dist: string; parent: string; before: Record<string, string> } {
    const { dist, parent, before } = existingDist();
    fs.renameSync(dist, path.join(parent, '.dkp-fleet-previous-dist-bbbbbb'));
    return { dist, parent, before };
  }

  test('puts the old output back even when this run is refused', () => {
    const { dist, parent, before } = killed();
    expect(() => writeAtomically(dist, NEW, () => {
      throw new Error('refused');
    })).toThrow('refused');
    expect(fingerprint(dist)).toEqual(before);
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  });

  test('puts back the newest of several old outputs and drops the others', () => {
    const { dist, parent, before } = killed();
    fs.mkdirSync(path.join(parent, '.dkp-fleet-previous-dist-aaaaaa', 'stale'), { recursive: true });
    fs.mkdirSync(path.join(parent, '.dkp-fleet-previous-other-cccccc'), { recursive: true });
    expect(() => writeAtomically(dist, NEW, () => {
      throw new Error('refused');
    })).toThrow('refused');
    expect(fingerprint(dist)).toEqual(before);
    expect(fs.readdirSync(parent).sort()).toEqual(['.dkp-fleet-previous-other-cccccc', 'dist']);
  });

  test('drops the old output when the new one was already in place', () => {
    const { dist, parent } = killed();
    fs.mkdirSync(path.join(dist, 'new'), { recursive: true });
    fs.writeFileSync(path.join(dist, 'new', 'n.yaml'), 'n: 1\n');
    const now = fingerprint(dist);
    expect(() => writeAtomically(dist, NEW, () => {
      throw new Error('refused');
    })).toThrow('refused');
    expect(fingerprint(dist)).toEqual(now);
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  });

  test('writes a nested output folder whose parent does not exist yet', () => {
    const parent = path.join(tempDir(), 'a', 'b');
    expect(writeAtomically(path.join(parent, 'dist'), NEW)).toBe(1);
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  });
});
