/** Re-runs a read-decide-write step when another writer changed the same records in between. */
import { randomInt } from 'node:crypto';

/**
 * Runs `step`, and again (up to `attempts` times, with a little jitter so racers spread out) while it
 * fails with one of `codes`; each run re-reads, so the decision is made on fresh state.
 */
export async function retryOnConflict<T>(
  step: () => Promise<T>,
  {
    codes = ['CONCURRENT_MODIFICATION'],
    attempts = 10,
  }: { codes?: readonly string[]; attempts?: number } = {},
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt + 1 >= attempts || code === undefined || !codes.includes(code)) throw error;
      await new Promise((r) => setTimeout(r, randomInt(5, 25 * (attempt + 1))));
    }
  }
}
