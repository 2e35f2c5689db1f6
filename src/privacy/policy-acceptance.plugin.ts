import type { GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { Kind } from 'graphql';
import type { GatewayContext } from '../context';
import { ErrorCode, GatewayError } from '../errors';
import type { RequestPlugin } from '../common/request-plugins';
import type { PolicyVersionService } from './policy-version.service';

/** What a member may still do before accepting a material policy change. */
const ALLOWED = new Set([
  'acceptPrivacyPolicy',
  'exportMyData',
  'withdrawConsent',
  'requestPrivacy',
  'cancelAccount',
  'login',
  'register',
  'refreshToken',
  'stepUp',
  'logout',
  '__typename',
]);

/**
 * After a material policy version, a member who has not accepted it gets POLICY_ACCEPTANCE_REQUIRED
 * for every mutation but the ones above (exercising their rights and signing in stay possible).
 */
export function policyAcceptancePlugin(policies: PolicyVersionService): RequestPlugin<GatewayContext> {
  const mustHaveAccepted = async (memberId: string) => {
    const version = await policies.mustAccept(memberId);
    if (version) {
      throw new GatewayError(ErrorCode.POLICY_ACCEPTANCE_REQUIRED, 'Accept the current privacy policy first (acceptPrivacyPolicy).', {
        version,
        http: { status: 403 },
      });
    }
  };
  const hooks = {
    didResolveOperation({ operation, contextValue }: GraphQLRequestContextDidResolveOperation<GatewayContext>): Promise<void> | undefined {
      if (operation?.operation !== 'mutation' || contextValue.viewer.kind !== 'MEMBER') return undefined;
      const gated = operation.selectionSet.selections.some((selection) => selection.kind !== Kind.FIELD || !ALLOWED.has(selection.name.value));
      return gated ? mustHaveAccepted(contextValue.viewer.memberId) : undefined;
    },
  };
  return () => hooks;
}
