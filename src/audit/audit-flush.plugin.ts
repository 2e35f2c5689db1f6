import type { GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { AuditService } from './audit.service';
import type { GatewayContext } from '../context';
import { ErrorCode } from '../errors';
import type { RequestPlugin } from '../common/request-plugins';
import { describeError, type Logger } from '../logger';
import { isDatabaseUnavailable } from '../db/database-unavailable';
import { logDatabaseUnavailable } from '../request-log.plugin';

/** Told how each audit write went (the metrics count them); durations in seconds. */
export interface AuditAppendObserver {
  auditAppended(seconds: number): void;
  auditAppendFailed(): void;
}

type Sending = GraphQLRequestContextWillSendResponse<GatewayContext>;

/**
 * Before a response leaves: writes the request's audit records in one go and lists masked paths
 * in `extensions.privacy.masked`. If the audit write fails the response is replaced by
 * SERVICE_UNAVAILABLE with no data: nothing personal leaves without its audit record. A request
 * with nothing to record is finished synchronously.
 */
export function auditFlushPlugin(audit: AuditService, logger: Logger, observer?: AuditAppendObserver): RequestPlugin<GatewayContext> {
  const listMasked = ({ contextValue, response }: Sending) => {
    if (response.body.kind !== 'single' || contextValue.privacy.masked.length === 0) return;
    const result = response.body.singleResult;
    result.extensions = { ...result.extensions, privacy: { masked: contextValue.privacy.masked } };
  };
  const writeThenList = async (request: Sending, records: ReturnType<GatewayContext['privacy']['auditRecords']>) => {
    const { contextValue, response } = request;
    const started = process.hrtime.bigint();
    try {
      await audit.append(records);
      observer?.auditAppended(Number(process.hrtime.bigint() - started) / 1e9);
    } catch (error) {
      observer?.auditAppendFailed();
      if (isDatabaseUnavailable(error)) logDatabaseUnavailable(logger, contextValue.requestId, error);
      else logger.error({ requestId: contextValue.requestId, error: describeError(error) }, 'audit write failed; response withheld');
      if (response.body.kind === 'single') {
        response.body.singleResult = {
          data: null,
          errors: [{ message: 'The request could not be completed safely; try again later.', extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } }],
        };
      }
      response.http.status = 503;
      return;
    }
    listMasked(request);
  };
  const hooks = {
    willSendResponse(request: Sending): Promise<void> | undefined {
      if (request.response.body.kind !== 'single') return undefined;
      const records = request.contextValue.privacy.auditRecords();
      if (records.length > 0) return writeThenList(request, records);
      listMasked(request);
      return undefined;
    },
  };
  return () => hooks;
}
