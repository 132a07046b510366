import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isDomainError } from '../common';
import { PersonalDataService, birthDateOf, maskName } from '../identity';
import { RegionDetailDto, RegionsService } from '../regions';
import { FiledByRole, RELATIONSHIP_LABELS, REMOTE_GROUP } from './application-types';
import { ApplicationErrorCode as C, badField, signaturesMissing, unprocessableField } from './applications.errors';
import { ADULT_AGE, SignatureProblem, ageOn, genderOf, shanghaiDate, signatureProblems } from './household';
import { MemberDto, SubmitApplicationDto } from './submit-application.dto';

/** A member as submitted, checked, with what the snapshot and the rows need. */
export interface PreparedMember {
  /** index in household.members as given (error fields name it) */
  index: number;
  /** 1 = the applicant, then the others in the order given */
  position: number;
  id: string;
  dto: MemberDto;
  idNumber: string;
  bidx: string;
  birthDate: string;
  age: number;
  adult: boolean;
  gender: 'male' | 'female';
}

const REGION_LEVELS = ['county', 'township', 'functional_zone'];

function inGroup(r: RegionDetailDto, group: string): boolean {
  return r.groups.includes(group) || r.ancestors.some((a) => a.groups.includes(group));
}

function cityOf(r: RegionDetailDto): string | undefined {
  return r.level === 'prefecture' ? r.code : r.ancestors.find((a) => a.level === 'prefecture')?.code;
}

/** The rules a submission must pass before anything is written: 400 for bad input, 422 for a refused application. */
@Injectable()
export class SubmissionRules {
  constructor(
    private readonly regions: RegionsService,
    private readonly personal: PersonalDataService,
  ) {}

  /** Window staff file at a window (or a remote application); applicants file online (or remotely). */
  checkChannel(role: FiledByRole, dto: SubmitApplicationDto): void {
    const allowed = role === 'applicant' ? ['online', 'remote'] : ['window', 'remote'];
    if (!allowed.includes(dto.channel)) {
      throw badField(C.ChannelNotAllowed, 'channel', role === 'applicant' ? 'an applicant files online or remote; window applications are filed by window staff' : 'window staff file window or remote applications');
    }
  }

  /** The household's region, and for a remote application a target elsewhere in 成德眉资. */
  async checkRegions(dto: SubmitApplicationDto): Promise<void> {
    const home = await this.region('regionCode', dto.regionCode);
    if (dto.channel !== 'remote') {
      if (dto.targetRegionCode !== undefined) throw badField(C.TargetRegionNotAllowed, 'targetRegionCode', 'only a remote application has a target region');
      return;
    }
    if (dto.targetRegionCode === undefined) throw badField(C.TargetRegionRequired, 'targetRegionCode', 'a remote application names the 成德眉资 region that reviews it');
    const target = await this.region('targetRegionCode', dto.targetRegionCode);
    if (!inGroup(target, REMOTE_GROUP)) {
      throw unprocessableField(C.TargetRegionNotInGroup, 'targetRegionCode', `${target.code} ${target.name} is not in 成德眉资 (Chengdu, Deyang, Meishan, Ziyang): remote applications stay within the group`);
    }
    if (!inGroup(home, REMOTE_GROUP)) {
      throw unprocessableField(C.RegionNotInGroup, 'regionCode', `${home.code} ${home.name} is not in 成德眉资: only its residents apply remotely within it`);
    }
    if (cityOf(home) === cityOf(target)) {
      throw unprocessableField(C.TargetRegionSameCity, 'targetRegionCode', `${target.code} is in the household's own city: file a window or online application there`);
    }
  }

  /** Validates members (ID numbers, one applicant, no one twice, adults' signatures) and orders them. */
  prepareMembers(dto: SubmitApplicationDto, now: Date): PreparedMember[] {
    const given = dto.household.members;
    const selves = given.map((m, i) => (m.relationship === 'self' ? i : -1)).filter((i) => i >= 0);
    if (selves.length !== 1) throw badField(C.ApplicantMember, 'household.members', `exactly one member is the applicant (relationship self); ${selves.length} are`);
    const today = shanghaiDate(now);
    let next = 2;
    const seen = new Map<string, number>();
    const members = given.map((m, index): PreparedMember => {
      const field = `household.members.${index}.idNumber`;
      const idNumber = this.personal.checkIdNumber(m.idNumber, field);
      const bidx = this.personal.blindIndex('idNumber', idNumber);
      if (seen.has(bidx)) throw badField(C.DuplicateMember, field, `is the same person as household.members.${seen.get(bidx)}`);
      seen.set(bidx, index);
      const birthDate = birthDateOf(idNumber);
      const age = ageOn(birthDate, today);
      return {
        index,
        position: m.relationship === 'self' ? 1 : next++,
        id: randomUUID(),
        dto: m,
        idNumber,
        bidx,
        birthDate,
        age,
        adult: age >= ADULT_AGE,
        gender: genderOf(idNumber),
      };
    });
    const self = members[selves[0]];
    if (!self.adult) throw unprocessableField(C.ApplicantNotAdult, `household.members.${self.index}.idNumber`, `the applicant must be ${ADULT_AGE} or older (is ${self.age})`);
    this.checkSignatures(members, now);
    for (const [i, mat] of (dto.materials ?? []).entries()) {
      if (mat.memberIndex !== undefined && mat.memberIndex >= members.length) {
        throw badField(C.MaterialMember, `materials.${i}.memberIndex`, `there is no household.members.${mat.memberIndex}`);
      }
    }
    return members;
  }

  private checkSignatures(members: PreparedMember[], now: Date): void {
    const problems = signatureProblems(
      members.map((m) => ({
        adult: m.adult,
        commitment: m.dto.commitment && { signedAt: new Date(m.dto.commitment.signedAt) },
        authorisation: m.dto.authorisation && { signedAt: new Date(m.dto.authorisation.signedAt), expiresAt: new Date(m.dto.authorisation.expiresAt) },
      })),
      now,
    );
    const badDate = problems.find((p) => p.problem === 'signed_in_future' || p.problem === 'ends_before_signed');
    if (badDate) {
      const field = `household.members.${badDate.index}.${badDate.part}.${badDate.problem === 'signed_in_future' ? 'signedAt' : 'expiresAt'}`;
      throw badField(C.SignatureDate, field, badDate.problem === 'signed_in_future' ? 'is later than the submission' : 'must be after signedAt');
    }
    if (!problems.length) return;
    const byMember = new Map<number, SignatureProblem[]>();
    for (const p of problems) byMember.set(p.index, [...(byMember.get(p.index) ?? []), p]);
    throw signaturesMissing(
      [...byMember.entries()].map(([index, ps]) => {
        const m = members[index];
        const rel = RELATIONSHIP_LABELS[m.dto.relationship];
        const name = maskName(m.dto.name);
        return {
          index,
          member: `成员${m.position}（${rel['zh-CN']}，${name}，${m.age}岁）`,
          memberEn: `member ${m.position} (${rel.en.toLowerCase()}, ${name}, aged ${m.age})`,
          missing: ps.map((p) => ({ part: p.part, problem: p.problem })),
        };
      }),
    );
  }

  private async region(field: string, code: string): Promise<RegionDetailDto> {
    let r: RegionDetailDto;
    try {
      r = await this.regions.get(code);
    } catch (e) {
      if (isDomainError(e) && e.kind === 'NOT_FOUND') throw badField(C.RegionUnknown, field, `${code} is not a region code`);
      throw e;
    }
    if (r.validTo !== null) throw badField(C.RegionUnknown, field, `${code} is no longer in use${r.successorCode ? ` (now ${r.successorCode})` : ''}`);
    if (!REGION_LEVELS.includes(r.level)) throw badField(C.RegionLevel, field, `${code} ${r.name} is a ${r.level}: give the county or street`);
    return r;
  }
}
