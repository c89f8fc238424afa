/** A merchant's authorisation of the platform's Alipay app to act for it (第三方应用授权). */

/** What the exchange of an app_auth_code gives: the token and who granted it. */
export interface AppAuthorisation {
  /** Sent as `app_auth_token` on every call made for the merchant: a secret. */
  readonly appAuthToken: string;
  readonly refreshToken?: string;
  /** The merchant's own app (`auth_app_id`): notifications for its trades name it. */
  readonly authAppId: string;
  /** The merchant's PID (`user_id`, 2088…): its trades' `seller_id`. */
  readonly merchantId: string;
}

/** Exchanges authorisation codes with the provider. */
export interface AppAuthorisations {
  /**
   * Exchanges a single-use `app_auth_code` for the merchant's token; a code the provider refuses (used,
   * expired, unknown) is a ValidationError naming its answer.
   */
  exchange(code: string): Promise<AppAuthorisation>;
}
