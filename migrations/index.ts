// Every migration, in order. Explicit classes (no globs) so ts-jest, dist and the CLI see the same list.
import { CreateRegions1764100000000 } from './1764100000000-CreateRegions';
import { CreateEngine1764200000000 } from './1764200000000-CreateEngine';

export const MIGRATIONS = [CreateRegions1764100000000, CreateEngine1764200000000];
