import { type BeforeQueryEvent, type EntitySubscriberInterface, EventSubscriber } from 'typeorm';
import { pastRequestDeadline } from '../common/request-scope';
import { DatabaseUnavailableError } from './database-unavailable';

/**
 * Once a request's deadline has passed its client has been answered SERVICE_UNAVAILABLE, so the
 * rest of its work is abandoned: no further statement is sent, COMMIT included, so an open
 * transaction rolls back instead of landing after the client was told it failed. ROLLBACK passes.
 */
@EventSubscriber() // TypeORM registers only decorated subscriber classes
export class RequestDeadlineSubscriber implements EntitySubscriberInterface {
  beforeQuery(event: BeforeQueryEvent): void {
    if (pastRequestDeadline() && !/^\s*ROLLBACK\b/i.test(event.query)) {
      throw new DatabaseUnavailableError('REQUEST_DEADLINE', 'The request ran out of time; the statement was not sent.');
    }
  }
}
