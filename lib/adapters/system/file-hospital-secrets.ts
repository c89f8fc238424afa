/** HospitalSecrets in files (the local stack and tests): `<dir>/<hospitalId>/<name>`, readable by the owner only. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HospitalSecrets } from '../../ports/hospital-secrets';

/** The secrets under `dir` (.local/hospitals for npm start). */
export function fileHospitalSecrets(dir: string): HospitalSecrets {
  return {
    async put(hospitalId, name, value) {
      await mkdir(join(dir, hospitalId), { recursive: true, mode: 0o700 });
      await writeFile(join(dir, hospitalId, name), value, { mode: 0o600 });
    },
    async get(hospitalId, name) {
      try {
        return await readFile(join(dir, hospitalId, name), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
  };
}
