/**
 * HospitalSecrets in SSM Parameter Store: `<prefix>/<hospitalId>/<name>` as SecureString (KMS-encrypted),
 * so each hospital's credentials sit under its own path and IAM can grant them narrowly.
 */
import type { HospitalSecrets } from '../../ports/hospital-secrets';
import { getSsmParameter, putSsmParameter, SsmError, type SsmOptions } from './ssm';

/** The secrets under SSM path `prefix` (e.g. /medpay/prod/hospitals). */
export function ssmHospitalSecrets(prefix: string, options: SsmOptions): HospitalSecrets {
  const name = (hospitalId: string, secret: string) => `${prefix}/${hospitalId}/${secret}`;
  return {
    put: (hospitalId, secret, value) => putSsmParameter(name(hospitalId, secret), value, options),
    async get(hospitalId, secret) {
      try {
        return await getSsmParameter(name(hospitalId, secret), options);
      } catch (error) {
        if (error instanceof SsmError && /ParameterNotFound/.test(error.message)) return undefined;
        throw error;
      }
    },
  };
}
