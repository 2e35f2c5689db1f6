import type { GatewayContext } from '../context';
import type { Logger } from '../logger';
import { viewerClass, type OperationLimits } from './budgets';
import { countTokens } from './document-tokens';
import { limitRefusal } from './limit-refusal';

/**
 * The cheap first check, run with the request's context before Apollo parses anything: a document
 * with more lexical tokens than the viewer's budget is refused (MAX_TOKENS). Apollo plugin hooks
 * cannot refuse before parsing (a throw there becomes a 500), so server.ts calls this while it
 * builds the context; Apollo answers the error like a failed token check.
 */
export function documentSizeGuard(limits: OperationLimits, logger: Logger): (context: GatewayContext, document: string | undefined) => void {
  return (context, document) => {
    if (document === undefined) return; // a persisted or trusted document: measured after parsing
    const limit = limits.budgets[viewerClass(context.viewer)].tokens;
    // Every token is at least one character long: a document no longer than the limit is within it, unlexed.
    if (document.length <= limit || countTokens(document, limit) <= limit) return;
    logger.info({ requestId: context.requestId, viewer: context.viewer.kind, reason: 'MAX_TOKENS' }, 'operation refused');
    throw limitRefusal('MAX_TOKENS', limit, countTokens(document));
  };
}
