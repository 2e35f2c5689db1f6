import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import type { PasswordHasher } from '../auth/password-hasher';
import type { SessionGrant, SessionService } from '../auth/session.service';
import type { MemberViewer } from '../auth/viewer';
import type { ConsentService } from '../consent/consent.service';
import type { FieldCipher } from '../crypto';
import { badUserInput, conflict, consentRequired, notFound } from '../errors';
import { ConsentPurpose } from '../consent/consent-purpose';
import { requireRecentPasswordAuth } from '../auth/recent-auth';
import type { MemberCiphers } from './member-ciphers';
import { MemberKeyEntity } from './member-key.entity';
import { MemberEntity } from './member.entity';
import { owned, type Owned, type Relationship } from '../policy/owner';
import type { Member } from './member.types';
import { normalisePhone } from './phone';
import type { ProfileInput } from './profile.input';
import type { RegisterInput } from './register.input';

/**
 * Members' accounts and profiles. Personal columns are sealed with the member's own data key on
 * the way in and opened on the way out; lookups by name or phone go through blind indexes.
 */
export class MemberService {
  private readonly registrationSteps: Array<(manager: EntityManager, memberId: string) => Promise<void>> = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly ciphers: MemberCiphers,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly consents: ConsentService,
    private readonly settings: { minorAge: number; stepUpMaxAgeSeconds: number },
  ) {}

  /** Another feature's step in every registration, run in its transaction. */
  onRegistered(step: (manager: EntityManager, memberId: string) => Promise<void>): void {
    this.registrationSteps.push(step);
  }

  /** Creates the member, its data key, its consents and a first session, all or nothing. */
  async register(input: RegisterInput, channel: string): Promise<{ member: Owned<Member>; grant: SessionGrant }> {
    const optional = (input.consents ?? []).find((purpose) => purpose !== ConsentPurpose.MEMBERSHIP);
    if (optional && input.birthDate && ageOn(new Date(), input.birthDate) < this.settings.minorAge) {
      // A minor joins with MEMBERSHIP only; each optional purpose then needs grantConsent with a guardian.
      throw consentRequired(optional, { requiresGuardian: true });
    }
    const phone = normalisePhone(input.phone)!;
    const id = randomUUID();
    const memberNameIndex = this.ciphers.nameIndex(input.memberName);
    const phoneIndex = this.ciphers.phoneIndex(phone);
    const passwordHash = await this.hasher.hash(input.password);
    return withUniqueViolationsAsConflicts(() =>
      this.dataSource.transaction(async (manager) => {
        await this.assertUnique(manager, { memberNameIndex, phoneIndex });
        const { cipher, keyRow } = this.ciphers.create(id);
        const now = new Date();
        const member = manager.create(MemberEntity, {
          id,
          memberNameIndex,
          memberNameSealed: cipher.seal('member_name', input.memberName),
          phoneIndex,
          phoneSealed: cipher.seal('phone', phone),
          contactNameSealed: cipher.seal('contact_name', input.contactName),
          contactAddressSealed: cipher.seal('contact_address', input.contactAddress),
          birthDateSealed: cipher.seal('birth_date', input.birthDate),
          passwordHash,
          status: 'ACTIVE',
          tokensValidAfter: null,
          legalHoldReason: null,
          erasurePendingRequest: null,
          createdAt: now,
          updatedAt: now,
          version: 1,
        });
        await manager.insert(MemberEntity, member);
        await manager.insert(MemberKeyEntity, keyRow);
        await this.consents.grant(manager, id, input.consents ?? [], channel);
        for (const step of this.registrationSteps) await step(manager, id);
        const grant = await this.sessions.start(manager, id, 'pwd');
        return { member: this.viewWith(member, cipher), grant };
      }),
    );
  }

  /** Finds an active member by member name or phone; `throttleKey` names the identifier without its plaintext. */
  async findByIdentifier(identifier: string): Promise<{ member: MemberEntity | null; throttleKey: string }> {
    const phone = normalisePhone(identifier);
    const where = phone ? { phoneIndex: this.ciphers.phoneIndex(phone) } : { memberNameIndex: this.ciphers.nameIndex(identifier.trim()) };
    // One statement whether or not the member exists (find options with a relation add a pre-query
    // only when a row is found), so sign-in timing does not tell the two apart.
    const member = await this.dataSource.manager.createQueryBuilder(MemberEntity, 'member').leftJoinAndSelect('member.key', 'key').where({ ...where, status: 'ACTIVE' }).getOne();
    // Per identifier as typed: a shared per-member count would tell whether a phone and a name belong together.
    return { member, throttleKey: `identifier:${Object.values(where)[0]}` };
  }

  /** The active member with its key, for token checks; null if gone or cancelled. */
  findActive(memberId: string): Promise<MemberEntity | null> {
    // One statement: find options with a relation and a limit make TypeORM add a DISTINCT pre-query.
    return this.dataSource.manager
      .createQueryBuilder(MemberEntity, 'member')
      .innerJoinAndSelect('member.key', 'key')
      .where('member.id = :memberId AND member.status = :status', { memberId, status: 'ACTIVE' })
      .getOne();
  }

  /** The member as a GraphQL object, marked with whose data it is and how the viewer reached it. */
  view(member: MemberEntity, access: { relationship: Relationship; purpose?: string } = { relationship: 'SELF' }): Owned<Member> {
    return this.viewWith(member, this.ciphers.for(member), access);
  }

  /** Staff look a member up by id, stating why; the purpose is audited with every field read. */
  async forStaff(memberId: string, purpose: string): Promise<Owned<Member>> {
    const member = await this.findActive(memberId);
    if (!member) throw notFound('No such member.');
    return this.view(member, { relationship: 'STAFF_WITH_PURPOSE', purpose });
  }

  /** Applies corrections; a new phone needs a recent sign-in and must be free. */
  async updateProfile(viewer: MemberViewer, input: ProfileInput): Promise<Owned<Member>> {
    for (const field of ['phone', 'contactName'] as const) {
      if (input[field] === null) throw badUserInput(field, `${field} cannot be cleared`);
    }
    const phone = input.phone ? normalisePhone(input.phone)! : undefined;
    if (phone !== undefined) requireRecentPasswordAuth(viewer, this.settings.stepUpMaxAgeSeconds);
    return withUniqueViolationsAsConflicts(() =>
      this.dataSource.transaction(async (manager) => {
        const member = await manager.findOneOrFail(MemberEntity, { where: { id: viewer.memberId }, relations: { key: true } });
        const cipher = this.ciphers.for(member);
        const changes: Partial<MemberEntity> = { updatedAt: new Date(), version: member.version + 1 };
        if (phone !== undefined) {
          changes.phoneIndex = this.ciphers.phoneIndex(phone);
          if (changes.phoneIndex !== member.phoneIndex) await this.assertUnique(manager, { phoneIndex: changes.phoneIndex });
          changes.phoneSealed = cipher.seal('phone', phone);
        }
        if (input.contactName !== undefined) changes.contactNameSealed = cipher.seal('contact_name', input.contactName!);
        if (input.contactAddress !== undefined) changes.contactAddressSealed = cipher.seal('contact_address', input.contactAddress);
        if (input.birthDate !== undefined) changes.birthDateSealed = cipher.seal('birth_date', input.birthDate);
        // Optimistic: a concurrent edit that committed first makes this one a CONFLICT, not a mix.
        const result = await manager.update(MemberEntity, { id: member.id, version: member.version }, changes);
        if (result.affected !== 1) throw conflict('input', 'The profile was changed by another request; reload and retry.');
        return this.viewWith({ ...member, ...changes } as MemberEntity, cipher);
      }),
    );
  }

  private async assertUnique(manager: EntityManager, indexes: { memberNameIndex?: string; phoneIndex?: string }): Promise<void> {
    if (indexes.memberNameIndex && (await manager.existsBy(MemberEntity, { memberNameIndex: indexes.memberNameIndex }))) {
      throw conflict('memberName', 'This member name is already taken.');
    }
    if (indexes.phoneIndex && (await manager.existsBy(MemberEntity, { phoneIndex: indexes.phoneIndex }))) {
      throw conflict('phone', 'This phone number is already registered.');
    }
  }

  private viewWith(member: MemberEntity, cipher: FieldCipher, access: { relationship: Relationship; purpose?: string } = { relationship: 'SELF' }): Owned<Member> {
    const birthDate = cipher.open('birth_date', member.birthDateSealed);
    const isMinor = birthDate !== null && ageOn(new Date(), birthDate) < this.settings.minorAge;
    return owned({
      id: member.id,
      memberName: cipher.open('member_name', member.memberNameSealed),
      phone: cipher.open('phone', member.phoneSealed),
      contactName: cipher.open('contact_name', member.contactNameSealed),
      contactAddress: cipher.open('contact_address', member.contactAddressSealed),
      birthDate,
      isMinor,
      createdAt: member.createdAt,
    }, { memberId: member.id, isMinor, ...access });
  }
}

function ageOn(today: Date, birthDate: string): number {
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  const hadBirthday = today.getUTCMonth() + 1 > month || (today.getUTCMonth() + 1 === month && today.getUTCDate() >= day);
  return today.getUTCFullYear() - year - (hadBirthday ? 0 : 1);
}

/** A race past `assertUnique` still ends as CONFLICT through the unique indexes. */
async function withUniqueViolationsAsConflicts<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof QueryFailedError) {
      if (/member_name_index/.test(error.message)) throw conflict('memberName', 'This member name is already taken.');
      if (/phone_index/.test(error.message)) throw conflict('phone', 'This phone number is already registered.');
    }
    throw error;
  }
}
