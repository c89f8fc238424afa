/**
 * Gives this process, and every process it starts from now on, a TMPDIR of its own under the system's
 * (`<tmp>/<prefix>XXXXXX`), removed when this process exits: the tools' scratch files (tsx's cache,
 * serverless's per-process folder, zip staging) then leave nothing behind in /tmp.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Creates the folder, points TMPDIR at it and returns its path. */
export function ownTmpdir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.env.TMPDIR = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
