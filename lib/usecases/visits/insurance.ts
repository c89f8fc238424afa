/** The insurance gateway as the visit use cases use it: the configured bureau and a pre-settlement of a tab. */
import { InvalidStateError } from '../../domain/errors';
import { assertSplitCoversTab, tabFen, type InsurancePreauth, type Visit } from '../../domain/visit';
import type { TabInsurance } from '../../ports/tab-insurance';
import type { VisitDeps } from './deps';

/** The configured gateway, or a 409 explaining that insurance is not available here. */
export function insuranceOf(deps: VisitDeps): TabInsurance {
  if (!deps.insurance)
    throw new InvalidStateError('Medical insurance is not configured for this hospital.', {});
  return deps.insurance;
}

/** Asks the bureau for a split of the visit's current tab (no storage). */
export async function preSettleTab(deps: VisitDeps, visit: Visit): Promise<InsurancePreauth> {
  const live = visit.charges.filter((c) => !c.voided);
  const split = await insuranceOf(deps).preSettle({
    visitId: visit.visitId,
    patientId: visit.patientId,
    tabVersion: visit.tabVersion,
    charges: live.map((c) => ({ chargeId: c.chargeId, category: c.category, amountFen: c.amountFen })),
    payer: visit.payer,
  });
  const held: InsurancePreauth = {
    preauthId: split.preauthId,
    insuredFen: split.insuredFen,
    personalAccountFen: split.personalAccountFen,
    selfPayFen: split.selfPayFen,
    expiresAt: split.expiresAt.toISOString(),
    tabVersion: visit.tabVersion,
    status: 'HELD',
  };
  try {
    assertSplitCoversTab(held, tabFen(visit.charges));
  } catch (error) {
    await insuranceOf(deps).reverse(held.preauthId);
    throw error;
  }
  return held;
}
