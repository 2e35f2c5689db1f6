import type { DataSource } from 'typeorm';
import { AuditSequencer } from './audit/audit-sequencer';
import type { Config } from './config';
import { LeasedJobs } from './db/leased-jobs';
import type { Logger } from './logger';
import { ErasureDispatcher } from './privacy/erasure-dispatcher';
import { webhookTransport } from './privacy/erasure-webhook.transport';
import type { Services } from './services';

/**
 * The gateway's background work, each job once across instances (leases in `job_lease`): the
 * erasure-notice outbox every OUTBOX_INTERVAL_SECONDS, the audit sequencer every
 * AUDIT_SEQUENCE_INTERVAL_SECONDS and retention every RETENTION_INTERVAL_HOURS (first one period
 * after the database first saw a gateway).
 * `now` is the gateway's clock: leases, backoff and retention dates follow it.
 */
export function backgroundJobs(config: Config, services: Services, dataSource: DataSource, logger: Logger, now: () => number = Date.now): LeasedJobs {
  const transport = config.erasureWebhookUrl ? webhookTransport(config.erasureWebhookUrl) : null;
  const outbox = new ErasureDispatcher(dataSource, transport, logger, { maxAttempts: config.outbox.maxAttempts, now });
  const jobs = new LeasedJobs(dataSource, logger, now)
    .add({
      name: 'erasure-outbox',
      everyMs: config.outbox.intervalSeconds * 1000,
      run: async (signal) => {
        const round = await outbox.dispatch(signal);
        if (round.delivered + round.failed > 0) logger.info({ outbox: round }, 'erasure notices worked');
        return round;
      },
    })
    .add({
      name: AuditSequencer.JOB,
      everyMs: config.auditSequenceIntervalSeconds * 1000,
      run: async () => {
        const round = await services.auditSequencer.round(new Date(now()));
        if (round.sequenced > 0) logger.debug({ sequenced: round.sequenced, size: round.checkpoint?.size }, 'audit entries sequenced');
        return round;
      },
    });
  // RETENTION_INTERVAL_HOURS=0: retention runs from an outside schedule (`npm run retention`), not here.
  if (config.retention.intervalHours === 0) return jobs;
  return jobs.add({
    name: 'retention',
    everyMs: config.retention.intervalHours * 3600_000,
    waitFirstPeriod: true,
    run: async () => {
      const report = await services.retention.run(new Date(now()));
      logger.info({ retention: report }, 'retention applied');
      return report;
    },
  });
}
