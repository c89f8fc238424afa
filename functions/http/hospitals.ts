/**
 * /hospitals (platform operator): register hospitals, read the registry, connect their channels and
 * insurance, suspend and resume them.
 */
import type { CoreDeps } from '../../lib/config/container';
import { operatorDeps } from '../../lib/config/hospitals';
import { connectAlipay as connectAlipayRoute } from '../../lib/http/contract/hospitals/connect-alipay';
import { connectAlipay, type AlipayOnboardingDeps } from '../../lib/usecases/hospitals/connect-alipay';
import { connectWechatpay as connectWechatpayRoute } from '../../lib/http/contract/hospitals/connect-wechatpay';
import { getHospital as getHospitalRoute } from '../../lib/http/contract/hospitals/get-hospital';
import { listHospitals as listHospitalsRoute } from '../../lib/http/contract/hospitals/list-hospitals';
import { registerHospital as registerHospitalRoute } from '../../lib/http/contract/hospitals/register-hospital';
import { httpHandler } from '../../lib/http/handler';
import { httpRouter } from '../../lib/http/router';
import { connectWechatpay } from '../../lib/usecases/hospitals/connect-wechatpay';
import { connectInsurance } from '../../lib/usecases/hospitals/connect-insurance';
import { setHospitalStatus } from '../../lib/usecases/hospitals/set-status';
import { setHospitalStatus as setHospitalStatusRoute } from '../../lib/http/contract/hospitals/set-hospital-status';
import { connectInsurance as connectInsuranceRoute } from '../../lib/http/contract/hospitals/connect-insurance';
import { connectReceipts as connectReceiptsRoute } from '../../lib/http/contract/hospitals/connect-receipts';
import { connectReceipts } from '../../lib/usecases/hospitals/connect-receipts';
import { getHospital, listHospitals } from '../../lib/usecases/hospitals/read';
import { registerHospital } from '../../lib/usecases/hospitals/register';

/** The routes over `resolveDeps` (tests pass their own dependencies). */
export const hospitalRoutes = (
  resolveDeps: () => Promise<CoreDeps & Pick<AlipayOnboardingDeps, 'appAuthorisations'>>,
) =>
  httpRouter([
    [
      registerHospitalRoute,
      httpHandler(
        registerHospitalRoute,
        async ({ body, deps }) => ({ status: 201, body: await registerHospital(deps, body) }),
        resolveDeps,
      ),
    ],
    [
      listHospitalsRoute,
      httpHandler(
        listHospitalsRoute,
        async ({ deps }) => ({ status: 200, body: { items: await listHospitals(deps) } }),
        resolveDeps,
      ),
    ],
    [
      getHospitalRoute,
      httpHandler(
        getHospitalRoute,
        async ({ params, deps }) => ({ status: 200, body: await getHospital(deps, params.hospitalId) }),
        resolveDeps,
      ),
    ],
    [
      connectWechatpayRoute,
      httpHandler(
        connectWechatpayRoute,
        async ({ params, body, deps }) => ({
          status: 200,
          body: await connectWechatpay(deps, params.hospitalId, body),
        }),
        resolveDeps,
      ),
    ],
    [
      connectAlipayRoute,
      httpHandler(
        connectAlipayRoute,
        async ({ params, body, deps }) => ({
          status: 200,
          body: await connectAlipay(deps, params.hospitalId, body.appAuthCode),
        }),
        resolveDeps,
      ),
    ],
    [
      setHospitalStatusRoute,
      httpHandler(
        setHospitalStatusRoute,
        async ({ params, body, deps }) => ({
          status: 200,
          body: await setHospitalStatus(deps, params.hospitalId, body.status),
        }),
        resolveDeps,
      ),
    ],
    [
      connectInsuranceRoute,
      httpHandler(
        connectInsuranceRoute,
        async ({ params, body, deps }) => ({
          status: 200,
          body: await connectInsurance(deps, params.hospitalId, body),
        }),
        resolveDeps,
      ),
    ],
    [
      connectReceiptsRoute,
      httpHandler(
        connectReceiptsRoute,
        async ({ params, body, deps }) => ({
          status: 200,
          body: await connectReceipts(deps, params.hospitalId, body),
        }),
        resolveDeps,
      ),
    ],
  ]);

export const handler = hospitalRoutes(operatorDeps);
