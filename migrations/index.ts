// Every migration, in order. Explicit classes (no globs) so ts-jest, dist and the CLI see the same list.
import { CreateRegions1764100000000 } from './1764100000000-CreateRegions';
import { CreateEngine1764200000000 } from './1764200000000-CreateEngine';
import { CreateIdentity1764300000000 } from './1764300000000-CreateIdentity';
import { CreateAudit1764300000001 } from './1764300000001-CreateAudit';
import { CreateCalendar1764400000000 } from './1764400000000-CreateCalendar';

export const MIGRATIONS = [CreateRegions1764100000000, CreateEngine1764200000000, CreateIdentity1764300000000, CreateAudit1764300000001, CreateCalendar1764400000000];
