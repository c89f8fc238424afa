/** Status machines: which status may follow which, and the one guard each entity's transitions go through. */
import { InvalidStateError } from './errors';

/**
 * The guard of a status machine: throws INVALID_STATE (naming the entity, its id and both statuses) for a
 * move `allowed` does not list.
 */
export function statusGuard<S extends string>(
  label: string,
  idKey: string,
  allowed: Readonly<Record<S, readonly S[]>>,
): (id: string, from: S, to: S) => void {
  return (id, from, to) => {
    if (!allowed[from].includes(to))
      throw new InvalidStateError(`${label} ${id} is ${from} and cannot become ${to}.`, {
        [idKey]: id,
        from,
        to,
      });
  };
}
