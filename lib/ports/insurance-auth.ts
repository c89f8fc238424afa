/**
 * AuthExchange port: turns the wallet's medical-insurance authorisation (the front end's auth code) into the
 * payAuthNo the national platform takes, with where the patient is insured and where they are. The result
 * is used at once and never stored: a payAuthNo lives minutes and serves one order (PROTOCOLS §1.6).
 */
import type { Channel } from '../domain/ledger/accounts';

/** A resolved authorisation. */
export interface InsuranceAuthorisation {
  readonly payAuthNo: string;
  /** The insured person's region (WeChat cityId; Alipay insu_org). */
  readonly insuredRegion: string;
  /** "longitude,latitude" where the wallet reports the patient (WeChat); Alipay's front end sends its own. */
  readonly location?: string;
  /** Alipay: the medical card the authorisation is for (medical_card_id, medical_card_inst_id). */
  readonly medicalCard?: { readonly id: string; readonly instId: string };
}

/**
 * One wallet's exchange. An auth code that is expired, used already or unknown is
 * InsuranceAuthInvalidError (the patient authorises again); an outage is PROVIDER_UNAVAILABLE.
 */
export interface AuthExchange {
  readonly channel: Channel;
  exchange(request: { authCode: string; payerId: string }): Promise<InsuranceAuthorisation>;
}
