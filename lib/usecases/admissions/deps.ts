/** The ports and policy the admission use cases depend on. */
import type { AdmissionPolicy } from '../../domain/admission';
import type { PaymentDeps } from '../payments/deps';

/**
 * Dependencies of the admission use cases: the payment ports (top-ups, refunds, arrears), with insured
 * parts where the national platform is configured (insurance at discharge), and the inpatient policy.
 */
export interface AdmissionDeps extends PaymentDeps {
  readonly admissions: AdmissionPolicy;
}
