import { Inject, Injectable } from '@nestjs/common';
import { Actor } from '../../api';
import { AuditService, actorFacts } from '../../audit';
import { Clock } from '../../common';
import { APP_CONFIG, AppConfig } from '../../config';
import { fieldProblem, IdentityErrorCode, personalDataUnreadable, purposeRequired } from '../identity.errors';
import { Permission, assertCan } from '../roles';
import { idNumberProblems, normalizeIdNumber } from './id-number';
import { PersonalField, mask } from './masking';
import { PersonalDataCipher } from './personal-data.cipher';

/** An encrypted value with its blind index (for the fields searched by exact value). */
export interface Protected {
  enc: string;
  bidx: string | null;
}

export interface RevealRequest {
  /** the permission the caller needs for this kind of object, e.g. users.reveal */
  permission: Permission;
  objectType: string;
  objectId: string;
  purpose: string | undefined;
  /** the stored envelopes, by field; null = nothing stored */
  values: Partial<Record<PersonalField, string | null>>;
}

const INDEXED: readonly PersonalField[] = ['idNumber', 'phone'];

/**
 * Personal data for every module: validate, encrypt with the configured key, index, mask for
 * display, and reveal in clear only to a caller with the permission and a stated purpose, after
 * an audit row is written.
 */
@Injectable()
export class PersonalDataService {
  private readonly cipher: PersonalDataCipher;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {
    const s = config.security;
    this.cipher = new PersonalDataCipher(s.piiKeys, s.piiCipher, s.blindIndexKey);
  }

  /** A valid ID number in its normal form, or a 400 naming `field`. */
  checkIdNumber(value: string, field = 'idNumber'): string {
    const problems = idNumberProblems(value, this.clock.now());
    if (problems.length) throw fieldProblem(IdentityErrorCode.IdNumberInvalid, field, problems);
    return normalizeIdNumber(value);
  }

  /** A mainland mobile (11 digits from 1) or a landline with area code, or a 400 naming `field`. */
  checkPhone(value: string, field = 'phone'): string {
    const digits = value.replace(/[\s-]/g, '').replace(/^\+86/, '');
    if (!/^(1[3-9]\d{9}|0\d{9,11})$/.test(digits)) throw fieldProblem(IdentityErrorCode.PhoneInvalid, field, ['must be an 11-digit mobile number or a landline with its area code']);
    return digits;
  }

  protect(field: PersonalField, value: string): Protected {
    return { enc: this.cipher.encrypt(field, value), bidx: INDEXED.includes(field) ? this.cipher.blindIndex(field, value) : null };
  }

  blindIndex(field: PersonalField, value: string): string {
    return this.cipher.blindIndex(field, value);
  }

  /** The masked form of a stored value (what responses show by default). */
  masked(field: PersonalField, envelope: string | null): string | null {
    return envelope === null ? null : mask(field, this.open(field, envelope));
  }

  /** Unmasks: permission, purpose, audit row (written first: no row, no disclosure), then the clear values. */
  async reveal(actor: Actor, req: RevealRequest): Promise<Partial<Record<PersonalField, string | null>>> {
    assertCan(actor, req.permission);
    const purpose = req.purpose?.trim() ?? '';
    if ([...purpose].length < 4) throw purposeRequired();
    const fields = Object.keys(req.values) as PersonalField[];
    await this.audit.recordNow({
      ...actorFacts(actor),
      action: 'personal_data.reveal',
      objectType: req.objectType,
      objectId: req.objectId,
      fields,
      purpose,
    });
    const out: Partial<Record<PersonalField, string | null>> = {};
    for (const f of fields) out[f] = req.values[f] ? this.open(f, req.values[f]!) : null;
    return out;
  }

  /**
   * The clear value for a use inside the platform that the caller records itself (a department
   * query made under the person's signed authorisation is recorded in connector_calls). Never for
   * a response: showing a value in clear is `reveal`.
   */
  decryptForUse(field: PersonalField, envelope: string): string {
    return this.open(field, envelope);
  }

  needsRotation(envelope: string): boolean {
    return this.cipher.needsRotation(envelope);
  }

  private open(field: PersonalField, envelope: string): string {
    try {
      return this.cipher.decrypt(field, envelope);
    } catch {
      throw personalDataUnreadable();
    }
  }
}
