/** Clock port: the only way use cases learn the time, so tests can fix it. */

/**
 * Tells the current instant.
 * @example const clock: Clock = { now: () => new Date('2026-01-01T00:00:00Z') };
 */
export interface Clock {
  now(): Date;
}
