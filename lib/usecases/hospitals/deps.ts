/** What the hospital registry's use cases need. */
import type { Clock } from '../../ports/clock';
import type { HospitalRegistry } from '../../ports/hospitals';

/** The registry and the clock. */
export interface HospitalDeps {
  readonly hospitals: HospitalRegistry;
  readonly clock: Clock;
  /** The default hospital (direct mode): its id is taken, and it is never registered. */
  readonly config: { readonly hospitals: { readonly defaultId: string } };
}
