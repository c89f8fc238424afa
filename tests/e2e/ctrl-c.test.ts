/**
 * Ctrl-C in a terminal sends SIGINT to the whole foreground process group: npm, which forwards it to the
 * start script, and the script itself, so the script gets it twice (#19). However many arrive, the stack
 * stops cleanly: no process left, no stack.json pointing at dead ports, no build folder in the checkout.
 */
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alive, descendants, startLocalStack } from '../support/local-stack';

const ROOT = resolve(import.meta.dirname, '../..');

/** Sends `signals` (a group SIGINT, then optionally more to the start script) and checks what is left. */
async function interrupt(extra: (script: number) => Promise<void>) {
  const local = await startLocalStack();
  try {
    const npm = local.process.pid as number;
    const processes = descendants(npm);
    const script = processes[0] as number; // npm's child: the start script (exec'd by npm's shell)
    expect(processes.length).toBeGreaterThanOrEqual(3);
    const exited = new Promise<void>((r) => local.process.once('exit', () => r()));
    process.kill(-npm, 'SIGINT'); // what a terminal's Ctrl-C sends: the whole group
    await extra(script);
    await exited;
    await expect
      .poll(() => [npm, ...processes].filter(alive), { timeout: 15_000, interval: 200 })
      .toEqual([]);
    expect(existsSync(join(local.localDir, 'stack.json'))).toBe(false);
    expect(existsSync(join(ROOT, `.esbuild-${basename(local.localDir)}`))).toBe(false);
  } finally {
    await local.stop();
  }
}

describe('Ctrl-C on npm start', () => {
  it('a group SIGINT stops everything and cleans up', () => interrupt(() => Promise.resolve()), 200_000);

  it(
    'so does a second SIGINT to the start script 0.3 s later, while it is stopping',
    () =>
      interrupt(async (script) => {
        await new Promise((r) => setTimeout(r, 300));
        try {
          process.kill(script, 'SIGINT');
        } catch {
          /* already stopped: nothing to interrupt */
        }
      }),
    200_000,
  );
});
