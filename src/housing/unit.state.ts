import { HousingType, UnitStatus } from './housing-codes';

/**
 * Which status a unit may move to from which (housing-codes.ts says what each status means).
 * A status records what is true of the flat; a tenancy records who lives there. They can drift
 * apart (an inspection finds a flat empty while its lease runs on), which is what the
 * reconciliation report finds, so marking a flat vacant while its tenancy is current is allowed.
 */
const NEXT: Record<UnitStatus, readonly UnitStatus[]> = {
  vacant: ['allocated', 'leased', 'under_repair', 'frozen', 'sold', 'disposed'],
  allocated: ['vacant', 'leased', 'frozen'],
  leased: ['vacant', 'under_repair', 'frozen'],
  under_repair: ['vacant', 'frozen', 'disposed'],
  frozen: ['vacant', 'allocated', 'leased', 'under_repair', 'disposed'],
  // a shared-ownership flat bought back by the government returns to the stock
  sold: ['vacant'],
  disposed: [],
};

export function allowedNext(from: UnitStatus, type: HousingType): UnitStatus[] {
  return NEXT[from].filter((s) => s !== 'sold' || type === 'shared_ownership');
}

/** Why the change is refused, in words (zh, en); null when it is allowed. */
export function transitionProblem(from: UnitStatus, to: UnitStatus, type: HousingType): { zh: string; en: string } | null {
  if (from === to) return { zh: `房源已是“${UnitStatus.labels[to].zh}”状态`, en: `the unit is already ${to}` };
  if (to === 'sold' && type !== 'shared_ownership') return { zh: '只有共有产权住房可以出售', en: 'only shared-ownership units can be sold' };
  if (!allowedNext(from, type).includes(to)) {
    return { zh: `不能从“${UnitStatus.labels[from].zh}”变为“${UnitStatus.labels[to].zh}”`, en: `a unit cannot go from ${from} to ${to}` };
  }
  return null;
}

/** The statuses an import may give a new unit: anything but the end states that need a history first. */
export const IMPORTABLE_STATUSES: readonly UnitStatus[] = ['vacant', 'allocated', 'leased', 'under_repair', 'frozen', 'sold'];

/** A tenancy can begin on a unit in one of these. */
export const LETTABLE_STATUSES: readonly UnitStatus[] = ['vacant', 'allocated'];
