/**
 * A visit's insurance step through the national platform (the same InsuranceGateway as insured payments):
 * while the patient is there to authorise, the listed charges are uploaded (6201) and settled (6202) at
 * once, since a payAuthNo lives minutes and is never stored; the visit's settlement later books the split
 * and captures only the self-pay part. A hold the visit does not use is refunded (6203) or revoked (6401).
 */
import { businessDayBounds, businessDayOf } from '../../domain/business-day';
import {
  IntegrityAlertError,
  InvalidStateError,
  ValidationError,
  type FieldMismatch,
} from '../../domain/errors';
import { splitTotal, type Split } from '../../domain/insurance';
import { addFen, fen, subtractFen } from '../../domain/money';
import { listedCharges, tabFen, type InsurancePreauth, type Visit } from '../../domain/visit';
import type { PlatformOrderState } from '../../ports/insurance-gateway';
import { transition, type Versioned } from '../shared/records';
import { settleAtPlatform, uploadAtPlatform } from '../shared/platform-settlement';
import type { VisitDeps } from './deps';

/** What the patient's phone and the HIS hand over for the insurance step. */
export interface VisitInsuranceInput {
  /** The wallet's authorisation code (WeChat 医保 mini-program authCode; Alipay auth code, scope nhsamp). */
  readonly authCode: string;
  /** "longitude,latitude" from the front end (Alipay's authorisation does not report it). */
  readonly location?: string;
  /** 医疗类别 (medType); the configured default when absent. */
  readonly medicalType?: string;
  readonly departmentCode?: string;
  readonly doctorCode?: string;
}

/** The configured platform and the visit channel's authorisation exchange, or a 409 saying there is none. */
export function insuranceOf(deps: VisitDeps, visit: Visit) {
  const parts = deps.insurance;
  const auth = parts?.auth[visit.channel];
  if (!parts || !auth)
    throw new InvalidStateError(`Medical insurance is not configured for ${visit.channel} here.`, {
      visitId: visit.visitId,
      channel: visit.channel,
    });
  return { platform: parts.platform, auth, defaultMedicalType: parts.defaultMedicalType };
}

/** The visit's split of the whole tab: the platform's split plus the unlisted lines as self-pay. */
function tabSplit(visit: Visit, split: Split) {
  const unlisted = subtractFen(tabFen(visit.charges), splitTotal(split));
  return {
    insuredFen: split.fundFen,
    personalAccountFen: split.personalAccountFen,
    selfPayFen: addFen(split.selfPayFen, unlisted),
  };
}

/** A hold's insured parts as the platform names them (self-pay never goes through the platform here). */
const insuredSplitOf = (hold: InsurancePreauth): Split => ({
  fundFen: hold.insuredFen,
  personalAccountFen: hold.personalAccountFen,
  selfPayFen: fen(0),
});

/** The hold's order at the platform (payOrdId and payToken), as 6301, 6401 and 6203 name it. */
const orderOf = (hold: InsurancePreauth) => ({ payOrdId: hold.preauthId, payToken: hold.payToken });

/** Where the platform's reported parts differ from the hold's (none when it reports no split). */
function partsMismatches(hold: InsurancePreauth, reported: Split | undefined): FieldMismatch[] {
  if (!reported) return [];
  return [
    { field: 'fund', recorded: hold.insuredFen, reported: reported.fundFen },
    { field: 'personal account', recorded: hold.personalAccountFen, reported: reported.personalAccountFen },
  ].filter((m) => m.recorded !== m.reported);
}

/** The hold given back (refunded or revoked). */
const reversed = (deps: VisitDeps, current: Versioned<Visit>, hold: InsurancePreauth) =>
  transition(deps.ledger, deps.ledger.visits, current, {
    ...current.value,
    insurance: { ...hold, status: 'REVERSED' },
  });

/**
 * Uploads the listed charges (6201) with a fresh authorisation and settles them (6202): the hold is
 * recorded ORDERING before 6202 so a crash leaves a record that 6301 completes, then HELD.
 */
export async function settleTabInsurance(
  deps: VisitDeps,
  current: Versioned<Visit>,
  input: VisitInsuranceInput,
): Promise<Versioned<Visit>> {
  const visit = current.value;
  const parts = insuranceOf(deps, visit);
  const listed = listedCharges(visit.charges);
  if (listed.length === 0)
    throw new ValidationError(`No charge on visit ${visit.visitId} is in the insurance lists.`, [
      { path: 'charges.listing', message: 'no listed charge' },
    ]);
  const chargeBatchNo = `${visit.visitId}.${visit.tabVersion}`;
  const upload = await uploadAtPlatform(deps, parts, {
    authCode: input.authCode,
    payerId: (visit.channel === 'alipay' ? visit.payer.alipayUserId : visit.payer.wechatOpenId) ?? '',
    location: input.location,
    locationPath: 'body.location',
    chargeBatchNo,
    medicalType: input.medicalType ?? parts.defaultMedicalType,
    departmentCode: input.departmentCode,
    doctorCode: input.doctorCode,
    lines: listed.map((c) => ({
      lineId: c.chargeId,
      name: c.description,
      amountFen: c.amountFen,
      ...c.listing,
    })),
  });
  const { uploaded, medOrgOrd, at: now } = upload;
  const ordering: InsurancePreauth = {
    preauthId: uploaded.payOrdId,
    payToken: uploaded.payToken,
    medOrgOrd,
    chargeBatchNo,
    ...tabSplit(visit, uploaded.split),
    expiresAt: businessDayBounds(businessDayOf(now)).end.toISOString(),
    tabVersion: visit.tabVersion,
    status: 'ORDERING',
    orderedAt: now.toISOString(),
  };
  const { recorded, state } = await settleAtPlatform(
    deps,
    parts.platform,
    { ...upload, chargeBatchNo },
    () => transition(deps.ledger, deps.ledger.visits, current, { ...visit, insurance: ordering }),
    (done) => reversed(deps, done, ordering),
  );
  return applyOrderState(deps, recorded, state);
}

/**
 * Records what the platform says of an ORDERING hold: settled with the uploaded split → HELD; never settled →
 * revoked (REVERSED). Settled with other parts contradicts the record: an integrity alert that changes
 * nothing (the hold stays ORDERING for an operator; every later look raises it again).
 */
async function applyOrderState(
  deps: VisitDeps,
  current: Versioned<Visit>,
  state: PlatformOrderState,
): Promise<Versioned<Visit>> {
  const visit = current.value;
  const hold = visit.insurance as InsurancePreauth;
  if (state.status === 'SETTLED') {
    const mismatches = partsMismatches(hold, state.split);
    if (mismatches.length > 0)
      throw new IntegrityAlertError(`the platform's settlement of ${hold.preauthId}`, mismatches);
    return transition(deps.ledger, deps.ledger.visits, current, {
      ...visit,
      insurance: { ...hold, status: 'HELD' },
    });
  }
  if (state.status === 'UPLOADED' || state.status === 'UNKNOWN')
    await insuranceOf(deps, visit).platform.revoke(orderOf(hold));
  return reversed(deps, current, hold);
}

/** How long a 6202 may take before medpay asks 6301 instead (the HTTP timeout is far shorter). */
export const ORDERING_GRACE_MS = 60_000;

/** An ORDERING hold (6202 unanswered, or a crash): 6301 says whether it settled. */
export async function resolveOrdering(deps: VisitDeps, current: Versioned<Visit>): Promise<Versioned<Visit>> {
  const hold = current.value.insurance;
  if (hold?.status !== 'ORDERING') return current;
  // 6202 may still be on its way: a hold younger than the grace is left to the request that sent it.
  if (deps.clock.now().getTime() - new Date(hold.orderedAt).getTime() < ORDERING_GRACE_MS) return current;
  const state = await insuranceOf(deps, current.value).platform.queryOrder(orderOf(hold));
  return applyOrderState(deps, current, state);
}

/** 6203 of a hold's insured parts (refdType HI), under a refund number derived from its order. */
async function refundHold(deps: VisitDeps, visit: Visit, hold: InsurancePreauth): Promise<void> {
  const state = await insuranceOf(deps, visit).platform.refund({
    ...orderOf(hold),
    refundNo: `VR${hold.medOrgOrd.slice(2)}`,
    at: deps.clock.now(),
    split: insuredSplitOf(hold),
    type: 'HI',
  });
  if (state.status === 'FAILED')
    throw new InvalidStateError(`The platform refused to refund ${hold.preauthId}.`, {
      visitId: visit.visitId,
      payOrdId: hold.preauthId,
    });
}

/**
 * Gives back a hold the visit will not book (the tab changed, the visit was cancelled or is settled as
 * self-pay, or the hold expired): an ORDERING one is resolved first, a HELD one refunded (6203), and the
 * hold recorded REVERSED. Nothing to do for any other.
 */
export async function releaseHold(deps: VisitDeps, current: Versioned<Visit>): Promise<Versioned<Visit>> {
  const resolved = await resolveOrdering(deps, current);
  const visit = resolved.value;
  const hold = visit.insurance;
  if (hold?.status !== 'HELD') return resolved;
  await refundHold(deps, visit, hold);
  return reversed(deps, resolved, hold);
}

/** Before booking a HELD hold: 6301 must still say it is settled with the same insured parts. */
export async function confirmHold(deps: VisitDeps, visit: Visit, hold: InsurancePreauth): Promise<void> {
  const state = await insuranceOf(deps, visit).platform.queryOrder(orderOf(hold));
  const mismatches = [
    ...(state.status === 'SETTLED' ? [] : [{ field: 'status', recorded: 'SETTLED', reported: state.status }]),
    ...partsMismatches(hold, state.split),
  ];
  if (mismatches.length > 0)
    throw new IntegrityAlertError(`the platform's order ${hold.preauthId}`, mismatches);
}
