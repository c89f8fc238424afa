/** The platform's hospital registry: which hospitals exist, outside every hospital's own records. */
import type { Hospital } from '../domain/hospital';
import type { Channel } from '../domain/ledger/accounts';
import type { Versioned } from './repositories';

/** Which hospital holds a channel merchant, and (Alipay) the merchant's PID. */
export interface MerchantClaim {
  readonly hospitalId: string;
  readonly merchantId?: string;
}

/** Reads and writes the registered hospitals. */
export interface HospitalRegistry {
  /** The hospital with its version, or undefined. */
  get(hospitalId: string): Promise<Versioned<Hospital> | undefined>;
  /** Every registered hospital, oldest first, page by page. */
  all(): AsyncIterable<Hospital>;
  /** Registers a new hospital; a ConcurrentModificationError when the id is taken. */
  create(hospital: Hospital): Promise<void>;
  /**
   * Saves a hospital's new state, guarded by the version it was read at. A channel merchant it newly names
   * (WeChat Pay sub_mchid, Alipay auth_app_id) is claimed for it alone: one another hospital already holds
   * is a ConcurrentModificationError.
   */
  update(current: Versioned<Hospital>, next: Hospital): Promise<void>;
  /**
   * The hospital that holds a channel's merchant (WeChat Pay sub_mchid, Alipay auth_app_id), with the
   * merchant's PID for Alipay (its trades' seller_id), or undefined. A claim never moves to another
   * hospital, so a found one may be kept.
   */
  ofMerchant(channel: Channel, merchant: string): Promise<MerchantClaim | undefined>;
}

/**
 * `deps` with the stores (and partner-mode channels) of `hospitalId`; a ForbiddenError for a hospital that
 * is not registered, or, acting for a caller (`forCaller`), that is suspended.
 */
export type InHospital = <T extends { readonly hospitalId: string }>(
  deps: T,
  hospitalId: string,
  options?: { readonly forCaller?: boolean },
) => Promise<T>;
