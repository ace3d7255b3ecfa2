import { terminalProgress } from '../src/progress';

describe('terminal progress', () => {
  test('rewrites one line, only for long steps, and clears it at the end', () => {
    const written: string[] = [];
    const p = terminalProgress((s) => written.push(s), 100);
    p('rendering layers', 1, 50); // short step: nothing
    p('writing files', 1, 1000);
    p('writing files', 2, 1000); // within 100 ms: throttled
    p('writing files', 1000, 1000); // the last one always shows
    p.done();
    expect(written).toEqual(['\r\u001b[2Kdkp-fleet: writing files 1/1000', '\r\u001b[2Kdkp-fleet: writing files 1000/1000', '\r\u001b[2K']);
  });

  test('writes nothing at all when no step was long', () => {
    const written: string[] = [];
    const p = terminalProgress((s) => written.push(s));
    p('writing files', 10, 10);
    p.done();
    expect(written).toEqual([]);
  });
});
