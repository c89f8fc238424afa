/**
 * Where a Powertools utility (Logger, Metrics) writes. On Lambda it is stdout, which CloudWatch reads; tests
 * pass `write` to receive each line instead. Powertools has no option for it: each utility prints through
 * its own `console` (a private field), which is replaced here with a Console over `write`.
 */
import { Console } from 'node:console';
import { Writable } from 'node:stream';

/** Sends `utility`'s printed lines to `write` (one call per line, without the newline), errors and warnings too. */
export function redirectOutput(utility: object, write: (line: string) => void): void {
  const stdout = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line !== '') write(line);
      done();
    },
  });
  Object.assign(utility, { console: new Console({ stdout, stderr: stdout }) });
}
