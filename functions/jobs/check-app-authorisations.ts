/**
 * Scheduled daily (03:00 Asia/Shanghai): asks Alipay about every registered hospital's app authorisation,
 * marks a revoked one, and refreshes a token before it lapses (lib/usecases/hospitals/check-alipay.ts).
 */
import type { AlipayOnboardingDeps } from '../../lib/usecases/hospitals/connect-alipay';
import type { CoreDeps } from '../../lib/config/container';
import { operatorDeps } from '../../lib/config/hospitals';
import { jobHandler } from '../../lib/http/job';
import { checkAlipayAuthorisations } from '../../lib/usecases/hospitals/check-alipay';

/** The job over `resolveDeps` (tests pass their own dependencies). */
export const checkAppAuthorisationsJob = (
  resolveDeps: () => Promise<CoreDeps & Pick<AlipayOnboardingDeps, 'appAuthorisations'>>,
) =>
  jobHandler(
    'app authorisation check',
    async ({ deps }) => ({
      outcomes: await checkAlipayAuthorisations({
        ...deps,
        refreshBeforeSec: deps.config.hospitals.refreshAppAuthBeforeSec,
      }),
    }),
    resolveDeps,
  );

export const handler = checkAppAuthorisationsJob(operatorDeps);
