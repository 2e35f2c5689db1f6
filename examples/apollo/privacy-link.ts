import { ApolloLink } from '@apollo/client';
import { map } from 'rxjs';
import type { PrivacyState } from './privacy-state';

/** Root fields whose success changes what the gateway shows the member. */
const VIEW_CHANGING = new Set(['grantConsent', 'withdrawConsent', 'acceptPrivacyPolicy', 'logout', 'submitRealName']);

/**
 * Reads the gateway's privacy answers off every result before Apollo's cache sees it: the masked
 * paths (`extensions.privacy.masked`, kept per operation in the state for the UI) and every
 * AuthPayload's `recentAuthUntil`, so the cache's view of personal values follows the session.
 */
export function privacyLink(state: PrivacyState): ApolloLink {
  return new ApolloLink((operation, forward) =>
    forward(operation).pipe(
      map((result) => {
        const privacy = (result.extensions as { privacy?: { masked?: string[] } } | undefined)?.privacy;
        state.maskedPaths.set(operation.operationName ?? '', privacy?.masked ?? []);
        for (const [field, value] of Object.entries((result.data ?? {}) as Record<string, unknown>)) {
          if (value && typeof value === 'object' && 'recentAuthUntil' in value) state.signedIn((value as { recentAuthUntil: string | null }).recentAuthUntil);
          else if (VIEW_CHANGING.has(field) && value) state.changed();
        }
        return result;
      }),
    ),
  );
}
