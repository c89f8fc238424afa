/**
 * `npm run token -- --role staff --sub S1 [--hospital h-east]`: prints a dev JWT signed with the local stack's
 * HS256 secret. Without --hospital the token names none, and acts for the default hospital.
 */
import { parseArgs } from 'node:util';
import { OPERATOR, ROLES, signDevToken, type Role } from '../lib/http/auth';
import { isHospitalId } from '../lib/domain/hospital';
import { ensureLocalSecrets } from './lib/local-secrets';

const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'patient' },
    sub: { type: 'string' },
    ttl: { type: 'string', default: '43200' },
    hospital: { type: 'string' },
  },
});
const role = values.role as Role;
if (!ROLES.includes(role)) {
  console.error(`--role must be one of ${ROLES.join(', ')}`);
  process.exit(2);
}
if (values.hospital !== undefined && (role === OPERATOR || !isHospitalId(values.hospital))) {
  console.error('--hospital takes a hospital id (2–32 of a-z, 0-9, -), and an operator token names none');
  process.exit(2);
}
const secrets = ensureLocalSecrets();
const sub = values.sub ?? (role === 'patient' ? secrets.patientId : `${role}-dev`);
const caller = { sub, role, ...(values.hospital ? { hospitalId: values.hospital } : {}) };
console.log(await signDevToken(secrets.jwtSecret, caller, { ttlSec: Number(values.ttl) }));
