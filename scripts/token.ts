/** `npm run token -- --role staff --sub S1`: prints a dev JWT signed with the local stack's HS256 secret. */
import { parseArgs } from 'node:util';
import { ROLES, signDevToken, type Role } from '../lib/http/auth';
import { ensureLocalSecrets } from './lib/local-secrets';

const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'patient' },
    sub: { type: 'string' },
    ttl: { type: 'string', default: '43200' },
  },
});
const role = values.role as Role;
if (!ROLES.includes(role)) {
  console.error(`--role must be one of ${ROLES.join(', ')}`);
  process.exit(2);
}
const secrets = ensureLocalSecrets();
const sub = values.sub ?? (role === 'patient' ? secrets.patientId : `${role}-dev`);
console.log(await signDevToken(secrets.jwtSecret, { sub, role }, { ttlSec: Number(values.ttl) }));
