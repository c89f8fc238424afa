/**
 * Submit a copy-and-courier request at discharge. Nothing is paid now: the fee follows the page count.
 *
 * Primary course:
 *   1. Derive the id from the request's key; an earlier attempt's request is returned as it is.
 *   2. Persist SUBMITTED with its CopyRequestSubmitted event, in one transaction.
 */
import type { CopyItem, CopyRequest, Delivery } from '../../domain/copy-request';
import { copyRequestEvent, type CopyRecordDeps } from './records';
import { firstAttempt } from '../shared/records';

/** A validated submission. */
export interface SubmitCopyRequestInput {
  readonly patientId: string;
  readonly admissionId: string;
  readonly items: readonly CopyItem[];
  readonly copies: number;
  readonly delivery: Delivery;
  /** The request's key: a re-execution returns the first attempt's request. */
  readonly requestKey?: string;
}

/** Submits the request. */
export async function submitCopyRequest(deps: CopyRecordDeps, input: SubmitCopyRequestInput) {
  const { requestKey, ...fields } = input;
  const { id: copyRequestId, earlier } = await firstAttempt(
    deps.ids,
    deps.ledger.copyRequests,
    'copyRequest',
    requestKey,
  );
  if (earlier) return earlier;
  const request: CopyRequest = {
    copyRequestId,
    ...fields,
    items: [...new Set(input.items)],
    status: 'SUBMITTED',
    submittedAt: deps.clock.now().toISOString(),
  };
  await deps.ledger.commit({
    entities: [
      deps.ledger.copyRequests.write(request, { kind: 'absent' }),
      deps.ledger.copyRequests.dayListing(request),
    ],
    events: [copyRequestEvent(deps, 'CopyRequestSubmitted', request, { admissionId: request.admissionId })],
  });
  return request;
}
