import type { GatewayOptions } from '../../src/gateway';
import { StaffIdentityProvider } from './staff-idp';
import { startTestGateway, type TestGateway } from './test-gateway';

/** Stands for an object created in beforeAll: property reads reach it once it exists. */
function late<T extends object>(get: () => T | undefined, name: string): T {
  return new Proxy({} as T, {
    get: (_target, key) => {
      const target = get();
      if (!target) throw new Error(`${name} is not started yet (use it inside a test)`);
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Starts a real gateway (and, with `staff`, a test identity provider it trusts) before the
 * describe block's tests and stops both after them.
 */
export function useGateway(options: { staff?: boolean; env?: Record<string, string>; gateway?: GatewayOptions } = {}): {
  t: TestGateway;
  idp: StaffIdentityProvider;
} {
  let gateway: TestGateway | undefined;
  let provider: StaffIdentityProvider | undefined;
  beforeAll(async () => {
    provider = options.staff ? await StaffIdentityProvider.start() : undefined;
    gateway = await startTestGateway({ ...provider?.env(), ...options.env }, { gateway: options.gateway });
  });
  afterAll(async () => {
    await gateway?.stop();
    await provider?.stop();
  });
  return { t: late(() => gateway, 'the gateway'), idp: late(() => provider, 'the staff identity provider') };
}
