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

/** What the provider says of a token it issued. */
export interface AppAuthorisationState {
  /** Whether calls made with it are still accepted. */
  readonly valid: boolean;
  readonly authAppId?: string;
  readonly merchantId?: string;
  /** Seconds until it lapses, where the provider says. */
  readonly expiresInSec?: number;
}

/** Exchanges authorisation codes with the provider, and checks and refreshes the tokens it gave. */
export interface AppAuthorisations {
  /**
   * Exchanges a single-use `app_auth_code` for the merchant's token; a code the provider refuses (used,
   * expired, unknown) is a ValidationError naming its answer.
   */
  exchange(code: string): Promise<AppAuthorisation>;
  /** Asks the provider about a token: valid or not, whose, and how long it has left. */
  query(appAuthToken: string): Promise<AppAuthorisationState>;
  /**
   * A fresh token (and refresh token) for a refresh token; one the provider refuses (lapsed, revoked) is a
   * ValidationError: the merchant must authorise again.
   */
  refresh(refreshToken: string): Promise<AppAuthorisation>;
}
