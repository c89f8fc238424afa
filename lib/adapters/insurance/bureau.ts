/**
 * TabInsurance over a bureau's real-time settlement HTTP interface (pre-settle / settle / reverse),
 * with HMAC-SHA256 request signing over "timestamp\nbody". Developed against the sandbox's bureau.
 */
import { createHmac } from 'node:crypto';
import { InvalidStateError, ProviderUnavailableError } from '../../domain/errors';
import { fen } from '../../domain/money';
import type { Clock } from '../../ports/clock';
import type { TabInsurance, PreSettlement } from '../../ports/tab-insurance';

/** Where the bureau is and the key requests are signed with. */
export interface BureauConfig {
  readonly baseUrl: string;
  readonly key: string;
  readonly timeoutMs?: number;
}

interface BureauPreauth {
  preauthId: string;
  insuredFen: number;
  personalAccountFen: number;
  selfPayFen: number;
  expiresAt: string;
  status: string;
  settlementId?: string;
  settledAt?: string;
}

/** Creates the bureau gateway. */
export function bureauGateway(config: BureauConfig, clock: Clock): TabInsurance {
  async function post(path: string, payload: object): Promise<BureauPreauth> {
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(clock.now().getTime() / 1000));
    let res: Response;
    try {
      res = await fetch(new URL(path, config.baseUrl), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-bureau-timestamp': timestamp,
          'x-bureau-signature': createHmac('sha256', config.key)
            .update(`${timestamp}\n${body}`)
            .digest('hex'),
        },
        body,
        signal: AbortSignal.timeout(config.timeoutMs ?? 5_000),
      });
    } catch (error) {
      throw new ProviderUnavailableError('The insurance bureau did not answer.', { path }, { cause: error });
    }
    const text = await res.text();
    let json: { code?: string } & Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      /* not JSON: handled below */
    }
    if (res.status === 409)
      throw new InvalidStateError(`The insurance bureau refused: ${json.code ?? 'unknown'}.`, {
        code: json.code,
      });
    if (!res.ok)
      throw new ProviderUnavailableError(`The insurance bureau answered ${res.status} ${json.code ?? ''}.`, {
        path,
        status: res.status,
      });
    return json as unknown as BureauPreauth;
  }

  return {
    async preSettle(req): Promise<PreSettlement> {
      const r = await post('/insurance/v1/presettle', {
        visitId: req.visitId,
        patientId: req.patientId,
        tabVersion: req.tabVersion,
        charges: req.charges,
      });
      return {
        preauthId: r.preauthId,
        insuredFen: fen(r.insuredFen, 'insuredFen'),
        personalAccountFen: fen(r.personalAccountFen, 'personalAccountFen'),
        selfPayFen: fen(r.selfPayFen, 'selfPayFen'),
        expiresAt: new Date(r.expiresAt),
      };
    },
    async settle(preauthId) {
      const r = await post('/insurance/v1/settle', { preauthId });
      return { settlementId: String(r.settlementId), settledAt: new Date(r.settledAt ?? clock.now()) };
    },
    async reverse(preauthId) {
      await post('/insurance/v1/reverse', { preauthId });
    },
  };
}
