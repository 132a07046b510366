import { APPLICATION_TYPE_LABELS, ApplicationType } from '../applications';
import { maskIdNumber } from '../identity';
import type { Label } from './publicity.state';

/**
 * What a public notice shows (research/domain.md P7, 政府信息公开条例 art. 15): the masked name and
 * ID number, the household size, the guarantee type and the street, and nothing else: no income,
 * assets, disability, illness, address or phone. Computed once at publication and frozen.
 */
export interface PublicityContent {
  /** the surname and one * per further character: 张*, 王** (a public notice shows less than a staff screen) */
  name: string;
  /** first 6 and last 4 characters: 510104********1234 */
  idNumber: string;
  householdSize: number;
  guaranteeType: ApplicationType;
  guaranteeTypeLabel: Label;
  /** the household's street (or its county when filed at county level) */
  street: string;
}

/** Every key a notice's content has; a test pins this list so a new field is a deliberate change. */
export const CONTENT_FIELDS = ['name', 'idNumber', 'householdSize', 'guaranteeType', 'guaranteeTypeLabel', 'street'] as const;

/** The first character, then one * for each further one; compound surnames (欧阳) keep only 欧. */
export function publicName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '*';
  return chars[0] + '*'.repeat(Math.max(chars.length - 1, 1));
}

export interface ContentInput {
  name: string;
  idNumber: string;
  householdSize: number;
  type: ApplicationType;
  street: string;
}

export function maskedContent(input: ContentInput): PublicityContent {
  return {
    name: publicName(input.name),
    idNumber: maskIdNumber(input.idNumber),
    householdSize: input.householdSize,
    guaranteeType: input.type,
    guaranteeTypeLabel: { ...APPLICATION_TYPE_LABELS[input.type] },
    street: input.street,
  };
}
