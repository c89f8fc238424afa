/**
 * What a test run leaves behind (#13): processes carrying this run's marker in their environment (every
 * process a test starts inherits it: stacks, DynamoDB Local, serverless-offline and its workers), and the
 * /tmp/medpay-* folders and test stacks' .esbuild-medpay-* build folders created since the run began.
 * Linux /proc only.
 */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The environment variable marking this run's processes. */
export const RUN_MARKER = 'MEDPAY_TEST_RUN';

/** PIDs (not this process) whose environment has `MEDPAY_TEST_RUN=<runId>`, with their command lines. */
export function markedProcesses(runId: string): Array<{ pid: number; command: string }> {
  const needle = `${RUN_MARKER}=${runId}`;
  const found: Array<{ pid: number; command: string }> = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(needle)) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      // vitest's own workers (children of this process) carry the marker too, and are vitest's to stop.
      const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
      if (ppid === process.pid && command.includes('vitest')) continue;
      found.push({ pid, command });
    } catch {
      /* gone, or not ours */
    }
  }
  return found;
}

/** /tmp/medpay-* folders modified since `sinceMs`. */
export function newTempFolders(sinceMs: number): string[] {
  return readdirSync(tmpdir())
    .filter((name) => name.startsWith('medpay-'))
    .map((name) => join(tmpdir(), name))
    .filter((path) => {
      try {
        const stat = statSync(path);
        return stat.isDirectory() && stat.mtimeMs >= sinceMs;
      } catch {
        return false;
      }
    });
}

/** The repository's .esbuild-medpay-* folders (a test stack's own build folder) modified since `sinceMs`. */
export function newBuildFolders(root: string, sinceMs: number): string[] {
  return readdirSync(root)
    .filter((name) => name.startsWith('.esbuild-medpay-'))
    .map((name) => join(root, name))
    .filter((path) => statSync(path).mtimeMs >= sinceMs);
}

/** Kills the marked processes and removes the new folders; returns what it had to clean. */
export function cleanLeftovers(runId: string, sinceMs: number, root: string): string[] {
  const cleaned: string[] = [];
  for (const p of markedProcesses(runId)) {
    try {
      process.kill(p.pid, 'SIGKILL');
      cleaned.push(`process ${p.pid}: ${p.command.slice(0, 160)}`);
    } catch {
      /* already gone */
    }
  }
  for (const folder of [...newTempFolders(sinceMs), ...newBuildFolders(root, sinceMs)]) {
    rmSync(folder, { recursive: true, force: true });
    cleaned.push(`folder ${folder}`);
  }
  return cleaned;
}
