import { InitialSchema1764028800000 } from './1764028800000-initial-schema';
import { AuditTrail1764115200000 } from './1764115200000-audit-trail';

/** In order. The same migrations run on MySQL/MariaDB and on SQLite. */
export const migrations = [InitialSchema1764028800000, AuditTrail1764115200000];
