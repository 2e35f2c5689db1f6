import { InitialSchema1764028800000 } from './1764028800000-initial-schema';

/** In order. The same migrations run on MySQL/MariaDB and on SQLite. */
export const migrations = [InitialSchema1764028800000];
