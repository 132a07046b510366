import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../api';
import { Label, consentFor } from '../connectors';
import { Clock } from '../common';
import { Permission, PersonalDataService } from '../identity';
import { APPLICATION_TYPE_LABELS, CHANNEL_LABELS, HOUSEHOLD_CATEGORY_LABELS, MATERIAL_LABELS, RELATIONSHIP_LABELS, missingMaterials } from './application-types';
import { APPLICATION_STATUS_LABELS } from './application.state';
import { ApplicationSummary, ApplicationView, AuthorisationView, MemberView } from './application.dto';
import { ApplicationRow, ApplicationsRepository, AuthorisationRow, MemberRow } from './applications.repository';
import type { HouseholdSnapshot, SnapshotMember } from './household';

/** Names and numbers of an application, masked or (after an audited reveal) in clear. */
interface Identities {
  address: string;
  phone: string;
  members: Map<string, { name: string; idNumber: string }>;
}

/** How a member is named in messages: 成员2（配偶，李*） / member 2 (spouse, 李*). */
export function memberLabel(m: Pick<MemberRow, 'position' | 'relationship'>, maskedName: string): Label {
  const rel = RELATIONSHIP_LABELS[m.relationship];
  return { 'zh-CN': `成员${m.position}（${rel['zh-CN']}，${maskedName}）`, en: `member ${m.position} (${rel.en.toLowerCase()}, ${maskedName})` };
}

/** Turns stored rows into what the API returns. */
@Injectable()
export class ApplicationViews {
  constructor(
    private readonly repo: ApplicationsRepository,
    private readonly personal: PersonalDataService,
    private readonly clock: Clock,
  ) {}

  summary(a: ApplicationRow, applicantNameEnc: string): ApplicationSummary {
    return {
      id: a.id,
      caseNumber: a.case_number,
      type: a.type,
      typeLabel: APPLICATION_TYPE_LABELS[a.type],
      channel: a.channel,
      channelLabel: CHANNEL_LABELS[a.channel],
      regionCode: a.region_code,
      targetRegionCode: a.target_region_code,
      status: a.status,
      statusLabel: APPLICATION_STATUS_LABELS[a.status],
      submittedAt: a.submitted_at.toISOString(),
      applicantName: this.personal.masked('name', applicantNameEnc) ?? '',
      householdSize: a.household_snapshot.size,
      category: a.household_snapshot.category,
    };
  }

  /** The whole application; with `reveal`, names, ID numbers, address and phone in clear (permission, purpose, audit rows first). */
  async view(em: EntityManager | undefined, a: ApplicationRow, reveal?: { actor: Actor; purpose: string | undefined }): Promise<ApplicationView> {
    // one after the other: inside a transaction they share one connection, which runs one query at a time
    const members = await this.repo.members(a.id, em);
    const authorisations = await this.repo.authorisations(a.id, em);
    const materials = await this.repo.materials(a.id, em);
    const history = await this.repo.history(a.id, em);
    const ids = reveal ? await this.revealed(reveal.actor, reveal.purpose, a, members) : this.masked(a, members);
    const snapshot = a.household_snapshot;
    const now = this.clock.now();
    const memberViews: MemberView[] = snapshot.members.map((s) => {
      const row = members.find((m) => m.id === s.memberId)!;
      const own = authorisations.filter((x) => x.member_id === s.memberId);
      return {
        id: s.memberId,
        position: s.position,
        relationship: s.relationship,
        relationshipLabel: RELATIONSHIP_LABELS[s.relationship],
        name: ids.members.get(row.id)!.name,
        idNumber: ids.members.get(row.id)!.idNumber,
        gender: s.gender,
        birthDate: s.birthDate,
        ageAtSubmission: s.ageAtSubmission,
        adult: s.adult,
        hukouRegionCode: s.hukouRegionCode,
        maritalStatus: s.maritalStatus,
        monthlyIncome: s.monthlyIncome,
        assistanceStatus: s.assistanceStatus,
        socialInsuranceMonths: s.socialInsuranceMonths,
        assets: s.assets,
        commitment: s.commitment,
        authorisations: own.map((x) => authorisationView(x, now)),
      };
    });
    return {
      ...this.summary(a, members[0].name_enc),
      applicantName: ids.members.get(members[0].id)!.name,
      filedBy: { userId: a.filed_by_user_id, username: a.filed_by_username, role: a.filed_by_role },
      applicantUserId: a.applicant_user_id,
      household: {
        category: snapshot.category,
        categoryLabel: HOUSEHOLD_CATEGORY_LABELS[snapshot.category],
        address: ids.address,
        phone: ids.phone,
        size: snapshot.size,
        adults: snapshot.adults,
        minors: snapshot.minors,
        totals: snapshot.totals,
        members: memberViews,
      },
      snapshot: { sha256: a.snapshot_sha256, intact: a.snapshot_intact, capturedAt: snapshot.capturedAt, content: withoutKeyedHashes(snapshot) },
      materials: materials.map((m) => ({
        id: m.id,
        kind: m.kind,
        label: MATERIAL_LABELS[m.kind],
        reference: m.reference,
        sha256: m.sha256,
        fileName: m.file_name,
        memberId: m.member_id,
        addedAt: m.added_at.toISOString(),
      })),
      missingMaterials: missingMaterials(
        a.type,
        materials.map((m) => m.kind),
      ).map((kind) => ({ kind, label: MATERIAL_LABELS[kind] })),
      statusHistory: history.map((h) => ({
        from: h.from_status,
        to: h.to_status,
        toLabel: APPLICATION_STATUS_LABELS[h.to_status],
        reason: h.reason,
        changedBy: h.changed_by,
        changedAt: h.changed_at.toISOString(),
      })),
      unmasked: !!reveal,
    };
  }

  private masked(a: ApplicationRow, members: MemberRow[]): Identities {
    return {
      address: this.personal.masked('address', a.address_enc) ?? '',
      phone: this.personal.masked('phone', a.phone_enc) ?? '',
      members: new Map(members.map((m) => [m.id, { name: this.personal.masked('name', m.name_enc) ?? '', idNumber: this.personal.masked('idNumber', m.id_number_enc) ?? '' }])),
    };
  }

  /** One audit row for the household's contact, one per member. */
  private async revealed(actor: Actor, purpose: string | undefined, a: ApplicationRow, members: MemberRow[]): Promise<Identities> {
    const permission = Permission.PersonalDataReveal;
    const contact = await this.personal.reveal(actor, { permission, objectType: 'applications', objectId: a.id, purpose, values: { address: a.address_enc, phone: a.phone_enc } });
    const out: Identities = { address: contact.address ?? '', phone: contact.phone ?? '', members: new Map() };
    for (const m of members) {
      const v = await this.personal.reveal(actor, { permission, objectType: 'application_members', objectId: m.id, purpose, values: { name: m.name_enc, idNumber: m.id_number_enc } });
      out.members.set(m.id, { name: v.name ?? '', idNumber: v.idNumber ?? '' });
    }
    return out;
  }
}

/** The snapshot as shown: the keyed hashes of ID numbers stay in the database (they link a person across cases). */
function withoutKeyedHashes(s: HouseholdSnapshot): ApplicationView['snapshot']['content'] {
  return { ...s, members: s.members.map((m) => Object.fromEntries(Object.entries(m).filter(([k]) => k !== 'idNumberBidx')) as Omit<SnapshotMember, 'idNumberBidx'>) };
}

function authorisationView(x: AuthorisationRow, now: Date): AuthorisationView {
  const auth = { id: x.id, checks: x.checks, signedAt: x.signed_at, expiresAt: x.expires_at, revokedAt: x.revoked_at };
  return {
    id: x.id,
    checks: x.checks,
    signedAt: x.signed_at.toISOString(),
    expiresAt: x.expires_at.toISOString(),
    revokedAt: x.revoked_at?.toISOString() ?? null,
    method: x.method,
    signedBy: x.signed_by,
    valid: x.checks.some((c) => consentFor([auth], c, now).ok),
  };
}
