import type { ApolloServerPlugin } from '@apollo/server';
import type { AuditService } from './audit.service';
import type { GatewayContext } from '../context';
import { ErrorCode } from '../errors';
import { describeError, type Logger } from '../logger';
import { isDatabaseUnavailable } from '../db/database-unavailable';
import { logDatabaseUnavailable } from '../request-log.plugin';

/** Told how each audit write went (the metrics count them); durations in seconds. */
export interface AuditAppendObserver {
  auditAppended(seconds: number): void;
  auditAppendFailed(): void;
}

/**
 * Before a response leaves: writes the request's audit records in one go and lists masked paths
 * in `extensions.privacy.masked`. If the audit write fails the response is replaced by
 * SERVICE_UNAVAILABLE with no data: nothing personal leaves without its audit record.
 */
export function auditFlushPlugin(audit: AuditService, logger: Logger, observer?: AuditAppendObserver): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const records = contextValue.privacy.auditRecords();
          if (records.length > 0) {
            const started = process.hrtime.bigint();
            try {
              await audit.append(records);
              observer?.auditAppended(Number(process.hrtime.bigint() - started) / 1e9);
            } catch (error) {
              observer?.auditAppendFailed();
              if (isDatabaseUnavailable(error)) logDatabaseUnavailable(logger, contextValue.requestId, error);
              else logger.error({ requestId: contextValue.requestId, error: describeError(error) }, 'audit write failed; response withheld');
              response.body.singleResult = {
                data: null,
                errors: [{ message: 'The request could not be completed safely; try again later.', extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } }],
              };
              response.http.status = 503;
              return;
            }
          }
          if (contextValue.privacy.masked.length > 0) {
            result.extensions = { ...result.extensions, privacy: { masked: contextValue.privacy.masked } };
          }
        },
      };
    },
  };
}
