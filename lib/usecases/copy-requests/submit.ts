/**
 * Submit a copy-and-courier request at discharge. Nothing is paid now: the fee follows the page count.
 *
 * Primary course: persist SUBMITTED with its CopyRequestSubmitted event, in one transaction.
 */
import type { CopyItem, CopyRequest, Delivery } from '../../domain/copy-request';
import { copyRequestEvent, copyRequestWrite, type CopyRequestDeps } from './records';

/** A validated submission. */
export interface SubmitCopyRequestInput {
  readonly patientId: string;
  readonly admissionId: string;
  readonly items: readonly CopyItem[];
  readonly copies: number;
  readonly delivery: Delivery;
}

/** Submits the request. */
export async function submitCopyRequest(deps: CopyRequestDeps, input: SubmitCopyRequestInput) {
  const request: CopyRequest = {
    copyRequestId: deps.ids.next('copyRequest'),
    ...input,
    items: [...new Set(input.items)],
    status: 'SUBMITTED',
    submittedAt: deps.clock.now().toISOString(),
  };
  await deps.ledger.commit({
    entities: [copyRequestWrite(request, { kind: 'absent' })],
    events: [copyRequestEvent(deps, 'CopyRequestSubmitted', request, { admissionId: request.admissionId })],
  });
  return request;
}
