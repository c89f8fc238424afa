/**
 * Settling a tab's listed lines at the national insurance platform while the patient is there to authorise
 * (a visit's insurance step, an admission's discharge): the wallet's authorisation is exchanged for a
 * payAuthNo (used at once, never stored), the lines are uploaded (6201), the caller records the order
 * before it is settled (6202), so a crash leaves a record 6301 completes. A split that does not add up, or a
 * record that cannot be written, abandons the upload (6401); a refusal of 6202 too, after `undo`.
 */
import { IntegrityAlertError, ValidationError } from '../../domain/errors';
import { InsuranceRefusedError, medOrgOrdFor, splitTotal } from '../../domain/insurance';
import { addFen, fen } from '../../domain/money';
import type { AuthExchange, InsuranceAuthorisation } from '../../ports/insurance-auth';
import type {
  FeeLine,
  InsuranceGateway,
  PlatformOrderState,
  UploadedFees,
} from '../../ports/insurance-gateway';
import type { IdGenerator } from '../../ports/id-generator';
import type { Clock } from '../../ports/clock';

/** What the patient's authorisation and the HIS give for an upload. */
export interface PlatformSettlementInput {
  readonly authCode: string;
  /** The wallet user who authorised. */
  readonly payerId: string;
  /** "longitude,latitude" from the front end, where the wallet does not report it; `locationPath` names it. */
  readonly location?: string;
  readonly locationPath: string;
  readonly chargeBatchNo: string;
  readonly medicalType: string;
  readonly departmentCode?: string;
  readonly doctorCode?: string;
  readonly lines: readonly FeeLine[];
}

/** The uploaded order, what it was uploaded as, and how to abandon it. */
export interface PlatformUpload {
  readonly uploaded: UploadedFees;
  readonly medOrgOrd: string;
  readonly payAuthNo: string;
  /** The authorisation it was uploaded under and the patient's location (a wallet's mixed order names both). */
  readonly authorisation: InsuranceAuthorisation;
  readonly location: string;
  readonly at: Date;
  /** 6401, never throwing: an upload that will not be settled. */
  readonly revoke: () => Promise<void>;
}

/** Exchanges the authorisation and uploads the lines (6201); the split must cover exactly what was uploaded. */
export async function uploadAtPlatform(
  deps: { readonly ids: IdGenerator; readonly clock: Clock },
  parts: { readonly platform: InsuranceGateway; readonly auth: AuthExchange },
  input: PlatformSettlementInput,
): Promise<PlatformUpload> {
  const totalFen = addFen(fen(0), ...input.lines.map((l) => l.amountFen));
  const authorisation = await parts.auth.exchange({ authCode: input.authCode, payerId: input.payerId });
  const location = authorisation.location ?? input.location;
  if (!location)
    throw new ValidationError("The patient's location (longitude,latitude) is required on this channel.", [
      { path: input.locationPath, message: 'required' },
    ]);
  const at = deps.clock.now();
  const medOrgOrd = medOrgOrdFor(deps.ids.next('request'));
  const uploaded = await parts.platform.uploadFees({
    payAuthNo: authorisation.payAuthNo,
    insuredRegion: authorisation.insuredRegion,
    location,
    medOrgOrd,
    chargeBatchNo: input.chargeBatchNo,
    medicalType: input.medicalType,
    departmentCode: input.departmentCode,
    doctorCode: input.doctorCode,
    totalFen,
    lines: input.lines,
    at,
  });
  const revoke = () => parts.platform.revoke(uploaded).catch(() => undefined);
  if (splitTotal(uploaded.split) !== totalFen) {
    await revoke();
    throw new IntegrityAlertError(`the platform's split of ${medOrgOrd}`, [
      { field: 'split total', recorded: totalFen, reported: splitTotal(uploaded.split) },
    ]);
  }
  return { uploaded, medOrgOrd, payAuthNo: authorisation.payAuthNo, authorisation, location, at, revoke };
}

/**
 * Records the order (`record`; if that fails the upload is abandoned) and settles it (6202). Unanswered,
 * 6301 decides later; refused, `undo` reverts the record and the upload is abandoned. Answers the record
 * and the platform's word.
 */
export async function settleAtPlatform<R>(
  deps: { readonly ids: IdGenerator },
  platform: InsuranceGateway,
  upload: PlatformUpload & { readonly chargeBatchNo: string },
  record: () => Promise<R>,
  undo: (recorded: R, refusal: InsuranceRefusedError) => Promise<unknown>,
): Promise<{ recorded: R; state: PlatformOrderState }> {
  // Another request recorded first: this upload is abandoned (6401) and the conflict answered.
  const recorded = await record().catch(async (error: unknown) => {
    await upload.revoke();
    throw error;
  });
  try {
    const state = await platform.placeOrder({
      payOrdId: upload.uploaded.payOrdId,
      payToken: upload.uploaded.payToken,
      payAuthNo: upload.payAuthNo,
      orgBizSer: deps.ids.next('request'),
      chargeBatchNo: upload.chargeBatchNo,
    });
    return { recorded, state };
  } catch (error) {
    if (error instanceof InsuranceRefusedError) {
      await upload.revoke();
      await undo(recorded, error);
    }
    throw error;
  }
}
