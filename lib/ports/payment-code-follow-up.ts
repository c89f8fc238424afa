/** PaymentCodeFollowUp port: carries a payment-code payment on after the request that took it has answered. */

/**
 * Starts following a payment whose code's outcome was still unknown when the request answered: on AWS an
 * asynchronous invocation of the followPaymentCode function (the request's own Lambda stops when it
 * answers). Fire and forget: a lost start is caught by the sweep.
 */
export interface PaymentCodeFollowUp {
  start(hospitalId: string, paymentId: string): Promise<void>;
}
