import { Injectable } from '@nestjs/common';
import { PersonalDataService } from '../../identity';
import { Category } from '../housing-codes';
import { categoryInvalid, subsidyInvalid } from '../housing.errors';

/**
 * A beneficiary household's sensitive facts (DOMAIN.md, data rules): its category — 低保, 特困,
 * 优抚 … status — and its monthly rental subsidy. Stored only encrypted, in identity's envelopes
 * under the field name `facts` (as applications seal theirs):
 *
 *   households.category_enc    the category code, as JSON ("special_care")
 *   households.category_bidx   blind index of `category:<code>`, so the list filter stays an indexed equality
 *   households.subsidy_enc     the yuan a month, as a JSON number; NULL off the subsidy roll
 *
 * Migration 1764500000011 moved the rows stored before in the same form; keep them in step.
 * Only a code the list knows and an amount in range are ever sealed (the database can no longer
 * check either).
 */
export const FACTS_FIELD = 'facts';

/** The value a category's blind index is taken over (prefixed: the index key serves other fields too). */
export const categoryIndexValue = (code: string): string => `category:${code}`;

export const SUBSIDY_MAX = 10000;

/** What is wrong with a monthly subsidy amount, or null. */
export function subsidyAmountProblem(amount: number): string | null {
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0 || amount > SUBSIDY_MAX) return `must be more than 0 and at most ${SUBSIDY_MAX} yuan a month`;
  if (Math.abs(Math.round(amount * 100) - amount * 100) > 1e-6) return 'must have at most 2 decimal places';
  return null;
}

/** A category code of the list, or a 400 naming `category` (the database holds it sealed and cannot check it). */
export function checkCategory(code: string): Category {
  if (!(Category.codes as readonly string[]).includes(code)) throw categoryInvalid(`must be one of ${Category.codes.join(', ')}`);
  return code as Category;
}

export interface SealedCategory {
  enc: string;
  bidx: string;
}

@Injectable()
export class BeneficiaryFacts {
  constructor(private readonly personal: PersonalDataService) {}

  /** The blind index the list filter looks a category up by; a 400 naming `category` for an unknown code. */
  categoryIndex(code: string): string {
    return this.personal.blindIndex(FACTS_FIELD, categoryIndexValue(checkCategory(code)));
  }

  sealCategory(code: Category): SealedCategory {
    const bidx = this.categoryIndex(code);
    return { enc: this.personal.protect(FACTS_FIELD, JSON.stringify(code)).enc, bidx };
  }

  /** The amount's envelope (null off the subsidy roll); a 400 naming `subsidyMonthlyAmount` when out of range. */
  sealSubsidy(amount: number | null): string | null {
    if (amount === null) return null;
    const problem = subsidyAmountProblem(amount);
    if (problem) throw subsidyInvalid(problem);
    return this.personal.protect(FACTS_FIELD, JSON.stringify(amount)).enc;
  }

  openCategory(enc: string): Category {
    return JSON.parse(this.personal.decryptForUse(FACTS_FIELD, enc)) as Category;
  }

  openSubsidy(enc: string | null): number | null {
    return enc === null ? null : (JSON.parse(this.personal.decryptForUse(FACTS_FIELD, enc)) as number);
  }
}
