/**
 * Register and manage the hospital's callback endpoints (admin).
 *
 * Primary course (register):
 *   1. Check the URL (https on deployed stages) and the subscribed event types.
 *   2. Store the endpoint ACTIVE at secret version 1. Its secret is read with GET …/secret: it is derived
 *      from the stage's signing key and never stored (not even in a POST's idempotent replay record).
 * Alternate courses: disable stops new deliveries (pending ones end FAILED); rotate-secret moves to a new
 * secret version, the previous one signing alongside for an overlap (24 h by default) so the HIS can switch.
 */
import {
  assertEndpointUrl,
  assertSubscriptions,
  disableEndpoint,
  rotateEndpointSecret,
  type NotificationEndpoint,
} from '../../domain/callbacks';
import type { LedgerStore } from '../../ports/ledger-store';
import { firstAttempt } from '../shared/records';
import { loadEndpoint, type CallbackDeps } from './records';

/** An endpoint as the API shows it (never the secret, except where the route says so). */
export const endpointView = (e: NotificationEndpoint) => ({
  endpointId: e.endpointId,
  url: e.url,
  events: e.events,
  description: e.description,
  status: e.status,
  secretVersion: e.secretVersion,
  ...(e.previousSecretExpiresAt ? { previousSecretExpiresAt: e.previousSecretExpiresAt } : {}),
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

/** Registers an endpoint; a retry of the same request (its key) answers the same endpoint. */
export async function registerEndpoint(
  deps: CallbackDeps,
  input: { url: string; events: string[]; description?: string; createdBy: string; requestKey?: string },
) {
  assertEndpointUrl(input.url, deps.callbacks.allowHttp);
  assertSubscriptions(input.events);
  const { id, earlier } = await firstAttempt(deps.ids, deps.ledger.endpoints, 'endpoint', input.requestKey);
  let endpoint = earlier;
  if (!endpoint) {
    const now = deps.clock.now().toISOString();
    endpoint = {
      endpointId: id,
      url: input.url,
      events: input.events,
      description: input.description ?? '',
      status: 'ACTIVE',
      secretVersion: 1,
      createdAt: now,
      createdBy: input.createdBy,
      updatedAt: now,
    };
    await deps.ledger.commit({ entities: [deps.ledger.endpoints.write(endpoint, { kind: 'absent' })] });
  }
  return endpointView(endpoint);
}

/** Every endpoint, oldest first. */
export async function listEndpoints(deps: { ledger: LedgerStore }) {
  return { items: (await deps.ledger.endpoints.all()).map(endpointView) };
}

/** Disables an endpoint. */
export async function disableEndpointById(deps: CallbackDeps, endpointId: string) {
  const current = await loadEndpoint(deps.ledger, endpointId);
  const next = disableEndpoint(current.value, deps.clock.now());
  await deps.ledger.commit({ entities: [deps.ledger.endpoints.transition(current, next)] });
  return endpointView(next);
}

/** Moves an endpoint to a new secret; the previous one keeps signing for `overlapSec`. */
export async function rotateSecret(deps: CallbackDeps, endpointId: string, overlapSec: number) {
  const current = await loadEndpoint(deps.ledger, endpointId);
  const next = rotateEndpointSecret(current.value, deps.clock.now(), overlapSec);
  await deps.ledger.commit({ entities: [deps.ledger.endpoints.transition(current, next)] });
  return endpointView(next);
}

/** The endpoint's current secret (and whether the previous one still signs alongside, until when). */
export async function revealSecret(deps: CallbackDeps, endpointId: string) {
  const { value } = await loadEndpoint(deps.ledger, endpointId);
  return {
    endpointId,
    secretVersion: value.secretVersion,
    secret: await deps.callbacks.signer.secret(endpointId, value.secretVersion),
    ...(value.previousSecretExpiresAt ? { previousSecretExpiresAt: value.previousSecretExpiresAt } : {}),
  };
}
