/** A hospital's own credentials (an Alipay app_auth_token), kept in the parameter store under the hospital. */

/** Reads and writes one hospital's named secrets; values are never logged. */
export interface HospitalSecrets {
  /** Stores `value` as the hospital's secret `name`, replacing any earlier one. */
  put(hospitalId: string, name: string, value: string): Promise<void>;
  /** The hospital's secret `name`, or undefined when none is stored. */
  get(hospitalId: string, name: string): Promise<string | undefined>;
}
