import type { GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { AuditService } from './audit.service';
import type { GatewayContext, ResponseReplacement } from '../context';
import { ErrorCode } from '../errors';
import type { RequestPlugin } from '../common/request-plugins';
import { describeError, type Logger } from '../logger';
import { isDatabaseUnavailable } from '../db/database-unavailable';
import type { AuditRecord } from '../policy/request-privacy';
import { logDatabaseUnavailable } from '../request-log.plugin';

/** Told how each audit write went (the metrics count them); durations in seconds. */
export interface AuditAppendObserver {
  auditAppended(seconds: number): void;
  auditAppendFailed(): void;
}

type Sending = GraphQLRequestContextWillSendResponse<GatewayContext>;

/** The answer that replaces a response whose audit write failed: no data. */
const WITHHELD: ResponseReplacement = {
  status: 503,
  body: {
    errors: [{ message: 'The request could not be completed safely; try again later.', extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } }],
    data: null,
  },
};

/**
 * When a result is complete: lists masked paths in `extensions.privacy.masked` and starts writing
 * the request's audit records in one go, as what the response waits for (`beforeSend`,
 * context.ts). The HTTP route sends the serialised response only once the write is durable; if it
 * fails, the response is replaced by SERVICE_UNAVAILABLE with no data: nothing personal leaves
 * without its audit record. Apollo serialises the result while the write is in flight, so the
 * result is not held (and copied by young collections) across a database round trip.
 */
export function auditFlushPlugin(audit: AuditService, logger: Logger, observer?: AuditAppendObserver): RequestPlugin<GatewayContext> {
  const write = async (context: GatewayContext, records: AuditRecord[]): Promise<ResponseReplacement | null> => {
    const started = process.hrtime.bigint();
    try {
      await audit.append(records);
      observer?.auditAppended(Number(process.hrtime.bigint() - started) / 1e9);
      return null;
    } catch (error) {
      observer?.auditAppendFailed();
      if (isDatabaseUnavailable(error)) logDatabaseUnavailable(logger, context.requestId, error);
      else logger.error({ requestId: context.requestId, error: describeError(error) }, 'audit write failed; response withheld');
      return WITHHELD;
    }
  };
  const hooks = {
    willSendResponse({ contextValue, response }: Sending): void {
      if (response.body.kind !== 'single') return;
      const { privacy } = contextValue;
      if (privacy.masked.length > 0) {
        const result = response.body.singleResult;
        result.extensions = { ...result.extensions, privacy: { masked: privacy.masked } };
      }
      const records = privacy.auditRecords();
      if (records.length > 0) contextValue.beforeSend.pending = write(contextValue, records);
    },
  };
  return () => hooks;
}
