/** The real wall clock. */
import type { Clock } from '../../ports/clock';

/** A Clock backed by the system time. */
export const systemClock: Clock = { now: () => new Date() };
