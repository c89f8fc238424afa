/**
 * The insured part at discharge, through the national platform as a visit's (6201 upload, 6202 settle,
 * 6301 when 6202 went unanswered, 6401 to abandon): while the patient is there to authorise, the admission's
 * listed charges are uploaded and settled at once, since a payAuthNo lives minutes and is never stored.
 * The split then fixes the discharge plan. A refusal puts the admission back to OPEN, nothing booked.
 * With `settleIn: 'wallet'` the upload is settled by WeChat's mixed order instead (discharge-wallet.ts).
 */
import { IntegrityAlertError, InvalidStateError, ValidationError } from '../../domain/errors';
import { splitTotal, type Split } from '../../domain/insurance';
import {
  selfPaySplit,
  type Admission,
  type AdmissionCharge,
  type DischargeInsurance,
} from '../../domain/admission';
import type { Channel } from '../../domain/ledger/accounts';
import { addFen, subtractFen } from '../../domain/money';
import type { FeeLine, PlatformOrderState } from '../../ports/insurance-gateway';
import type { PatientIdentity } from '../../ports/medical-orders';
import { transition, type Versioned } from '../shared/records';
import { settleAtPlatform, uploadAtPlatform } from '../shared/platform-settlement';
import { ORDERING_GRACE_MS, type VisitInsuranceInput } from '../visits/insurance';
import type { AdmissionDeps } from './deps';
import { planFor } from './plan';
import { chargesOf } from './records';

/** The patient's authorisation at discharge, on the wallet it was given in. */
export interface DischargeInsuranceInput extends VisitInsuranceInput {
  readonly channel: Channel;
  /** The wallet user who authorised (WeChat openid, Alipay user id). */
  readonly payerId: string;
  /** 医疗类别 (medType) of the stay, as the HIS assigns it (required: medpay assumes none for inpatients). */
  readonly medicalType: string;
  /** The platform settles (6202, default), or the wallet's mixed order with the deposits taken off (WeChat). */
  readonly settleIn?: 'platform' | 'wallet';
  /** The patient as WeChat checks them against the insured person (settleIn wallet); never stored. */
  readonly patient?: PatientIdentity;
}

/** The configured platform and the channel's authorisation exchange, or a 409 saying there is none. */
function partsFor(deps: AdmissionDeps, channel: Channel) {
  const auth = deps.insured?.auth[channel];
  if (!deps.insured || !auth)
    throw new InvalidStateError(`Medical insurance is not configured for ${channel} here.`, { channel });
  return { platform: deps.insured.platform, auth };
}

/**
 * Every charge line of the admission, read page by page; the index may lag the last line by a moment, so
 * the lines must add up to the admission's totals before anything is uploaded (409 otherwise: ask again).
 */
export async function allCharges(deps: AdmissionDeps, admission: Admission): Promise<AdmissionCharge[]> {
  const lines: AdmissionCharge[] = [];
  for await (const c of chargesOf(deps.ledger, admission.admissionId)) lines.push(c);
  const total = lines.reduce((n, c) => n + c.amountFen, 0);
  if (lines.length !== admission.chargeCount || total !== admission.chargesFen)
    throw new InvalidStateError(
      `Admission ${admission.admissionId}'s last charges are still being indexed; ask again.`,
      {
        admissionId: admission.admissionId,
      },
    );
  return lines;
}

/** The platform's order of a settlement's insurance (payOrdId and payToken). */
const orderOf = (i: DischargeInsurance) => ({ payOrdId: i.payOrdId, payToken: i.payToken });

/**
 * Runs the INSURANCE step: resolves an order 6202 left unanswered (6301), or uploads and settles the listed
 * charges with a fresh authorisation. Without an authorisation (and nothing ordered) the stay is settled
 * as self-pay: staff chose to go on without insurance.
 */
export async function dischargeInsurance(
  deps: AdmissionDeps,
  current: Versioned<Admission>,
  input: DischargeInsuranceInput | undefined,
): Promise<Versioned<Admission>> {
  const s = current.value.settlement;
  if (!s) return current;
  if (s.insurance?.status === 'ORDERING')
    // A wallet's order waits for the patient (its capture or its closing moves the settlement on).
    return s.insurance.settleIn === 'wallet' ? current : resolveOrdering(deps, current, s.insurance);
  if (!input) return withSplit(deps, current, undefined, selfPaySplit(current.value.chargesFen));
  const parts = partsFor(deps, input.channel);
  const admission = current.value;
  const { upload, chargeBatchNo, unlisted } = await uploadListed(deps, parts, admission, input);
  const { uploaded } = upload;
  const ordering: DischargeInsurance = {
    status: 'ORDERING',
    channel: input.channel,
    payOrdId: uploaded.payOrdId,
    payToken: uploaded.payToken,
    medOrgOrd: upload.medOrgOrd,
    chargeBatchNo,
    split: { ...uploaded.split, selfPayFen: addFen(uploaded.split.selfPayFen, unlisted) },
    orderedAt: upload.at.toISOString(),
  };
  const { recorded, state } = await settleAtPlatform(
    deps,
    parts.platform,
    { ...upload, chargeBatchNo },
    () =>
      transition(deps.ledger, deps.ledger.admissions, current, {
        ...admission,
        settlement: { ...s, insurance: ordering },
      }),
    (done, refusal) => reopen(deps, done, refusal.message),
  );
  return applyOrderState(deps, recorded, ordering, state);
}

/**
 * Uploads the admission's listed charges (6201) under the patient's authorisation (400 when none is
 * listed); answers the upload, its charge batch and what the unlisted charges come to.
 */
export async function uploadListed(
  deps: AdmissionDeps,
  parts: Parameters<typeof uploadAtPlatform>[1],
  admission: Admission,
  input: DischargeInsuranceInput,
) {
  const lines = await allCharges(deps, admission);
  const listed = lines.filter(
    (c): c is AdmissionCharge & { listing: NonNullable<AdmissionCharge['listing']> } => !!c.listing,
  );
  if (listed.length === 0)
    throw new ValidationError(`No charge on admission ${admission.admissionId} is in the insurance lists.`, [
      { path: 'body.insurance', message: 'no listed charge; discharge without insurance' },
    ]);
  const chargeBatchNo = admission.admissionId;
  const upload = await uploadAtPlatform(deps, parts, {
    authCode: input.authCode,
    payerId: input.payerId,
    location: input.location,
    locationPath: 'body.insurance.location',
    chargeBatchNo,
    medicalType: input.medicalType,
    departmentCode: input.departmentCode,
    doctorCode: input.doctorCode,
    lines: listed.map((c): FeeLine => ({
      lineId: c.chargeId,
      name: c.description,
      amountFen: c.amountFen,
      ...c.listing,
    })),
  });
  return {
    upload,
    chargeBatchNo,
    unlisted: subtractFen(admission.chargesFen, splitTotal(upload.uploaded.split)),
  };
}

/** An ORDERING order (6202 unanswered, or a crash): 6301 says whether it settled, after a grace. */
async function resolveOrdering(
  deps: AdmissionDeps,
  current: Versioned<Admission>,
  ordering: DischargeInsurance,
): Promise<Versioned<Admission>> {
  if (deps.clock.now().getTime() - new Date(ordering.orderedAt).getTime() < ORDERING_GRACE_MS) return current;
  const state = await partsFor(deps, ordering.channel).platform.queryOrder(orderOf(ordering));
  return applyOrderState(deps, current, ordering, state);
}

/**
 * What the platform says of the order: settled with the uploaded parts → the plan, step BOOK; never
 * settled → revoked and the admission reopened. Settled with other parts contradicts the record: an
 * integrity alert that changes nothing.
 */
async function applyOrderState(
  deps: AdmissionDeps,
  current: Versioned<Admission>,
  ordering: DischargeInsurance,
  state: PlatformOrderState,
): Promise<Versioned<Admission>> {
  if (state.status === 'SETTLED') {
    const reported = state.split;
    const mismatches = reported
      ? [
          { field: 'fund', recorded: ordering.split.fundFen, reported: reported.fundFen },
          {
            field: 'personal account',
            recorded: ordering.split.personalAccountFen,
            reported: reported.personalAccountFen,
          },
        ].filter((m) => m.recorded !== m.reported)
      : [];
    if (mismatches.length > 0)
      throw new IntegrityAlertError(`the platform's settlement of ${ordering.payOrdId}`, mismatches);
    return withSplit(deps, current, { ...ordering, status: 'SETTLED' }, ordering.split);
  }
  if (state.status === 'UPLOADED' || state.status === 'UNKNOWN')
    await partsFor(deps, ordering.channel).platform.revoke(orderOf(ordering));
  return reopen(
    deps,
    current,
    `The insurance platform did not settle ${ordering.payOrdId} (${state.ordStas}).`,
  );
}

/** The settlement with its split decided: the plan is made and the saga goes on to BOOK. */
export async function withSplit(
  deps: AdmissionDeps,
  current: Versioned<Admission>,
  insurance: DischargeInsurance | undefined,
  split: Split,
): Promise<Versioned<Admission>> {
  const s = current.value.settlement;
  if (!s) return current;
  const plan = await planFor(deps, current.value, split);
  return transition(deps.ledger, deps.ledger.admissions, current, {
    ...current.value,
    settlement: { ...s, step: 'BOOK', plan, ...(insurance ? { insurance } : {}) },
  });
}

/** Insurance refused the discharge (or the patient did not confirm): back to OPEN, nothing booked, the reason kept. */
export async function reopen(
  deps: Pick<AdmissionDeps, 'ledger'>,
  current: Versioned<Admission>,
  reason: string,
) {
  return transition(deps.ledger, deps.ledger.admissions, current, {
    ...current.value,
    status: 'OPEN',
    settlement: undefined,
    dischargedAt: undefined,
    lastDischargeError: reason,
  });
}
