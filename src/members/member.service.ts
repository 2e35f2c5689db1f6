import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import type { PasswordHasher } from '../auth/password-hasher';
import type { SessionGrant, SessionService } from '../auth/session.service';
import type { MemberViewer } from '../auth/viewer';
import type { ConsentService } from '../consent/consent.service';
import type { FieldCipher } from '../crypto';
import { badUserInput, conflict, consentRequired, forbidden, notFound } from '../errors';
import { ConsentPurpose } from '../consent/consent-purpose';
import { requireRecentPasswordAuth } from '../auth/recent-auth';
import type { MemberCiphers } from './member-ciphers';
import { MemberKeyEntity } from './member-key.entity';
import { EntityRows, type SqlFragment } from '../db/entity-rows';
import { rowLock } from '../db/row-lock';
import { MemberEntity } from './member.entity';
import type { MemberRow } from './member-row';
import { withLazyFields } from '../common/lazy-fields';
import { owned, type Owned } from '../policy/owner';
import { isMinor, type OwnerRecord } from '../policy/owner-facts';
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
  private readonly birthDateEvidence: Array<(manager: EntityManager, memberId: string) => Promise<string | null>> = [];
  private readonly memberRows: EntityRows<MemberEntity>;
  private readonly keyRows: EntityRows<MemberKeyEntity>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ciphers: MemberCiphers,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly consents: ConsentService,
    private readonly settings: { minorAge: number; stepUpMaxAgeSeconds: number },
  ) {
    this.memberRows = new EntityRows(dataSource, MemberEntity);
    this.keyRows = new EntityRows(dataSource, MemberKeyEntity);
  }

  /** Another feature's step in every registration, run in its transaction. */
  onRegistered(step: (manager: EntityManager, memberId: string) => Promise<void>): void {
    this.registrationSteps.push(step);
  }

  /**
   * Another feature's proof of a birth date (a verified document): the only way, besides a
   * PRIVACY_OFFICER correction, for a minor's birth date to move to an adult one.
   */
  onBirthDateEvidence(evidence: (manager: EntityManager, memberId: string) => Promise<string | null>): void {
    this.birthDateEvidence.push(evidence);
  }

  /** Creates the member, its data key, its consents and a first session, all or nothing. */
  async register(input: RegisterInput, channel: string): Promise<{ member: Owned<Member>; grant: SessionGrant }> {
    const optional = (input.consents ?? []).find((purpose) => purpose !== ConsentPurpose.MEMBERSHIP);
    // Whether an optional purpose needs a guardian depends on the age: without a birth date it cannot be told.
    if (optional && !input.birthDate) throw badUserInput('birthDate', 'birthDate is required to agree to optional purposes');
    if (optional && input.birthDate && isMinor(input.birthDate, this.settings.minorAge)) {
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
        // Membership is the contract itself: implied, whether or not the client listed it.
        const purposes = [ConsentPurpose.MEMBERSHIP, ...(input.consents ?? []).filter((purpose) => purpose !== ConsentPurpose.MEMBERSHIP)];
        await this.consents.grant(manager, id, purposes, channel);
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
    const member = await this.dataSource.manager
      .createQueryBuilder(MemberEntity, 'member')
      .leftJoinAndSelect('member.key', 'key')
      .where({ ...where, status: 'ACTIVE' })
      .getOne();
    // Per identifier as typed: a shared per-member count would tell whether a phone and a name belong together.
    return { member, throttleKey: `identifier:${Object.values(where)[0]}` };
  }

  /** The active member with its key, for token checks; null if gone or cancelled. */
  /**
   * An active member with their key, or null. `narrow` adds a join on the member's id column (the
   * token check: only with the token's session live), so it all stays one statement. Hand-written
   * SQL: this runs on every signed-in request, and TypeORM's query builder cost more than the query.
   */
  async findActive(memberId: string, narrow?: (memberIdColumn: string) => SqlFragment): Promise<MemberEntity | null> {
    const members = this.memberRows;
    const keys = this.keyRows;
    const idColumn = members.ref('member', 'id');
    const join = narrow?.(idColumn);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT ${members.selectList('member')}, ${keys.selectList('member_key')} FROM ${members.table} member` +
        ` INNER JOIN ${keys.table} member_key ON ${keys.ref('member_key', 'memberId')} = ${idColumn} ${join?.sql ?? ''}` +
        ` WHERE ${idColumn} = ? AND ${members.ref('member', 'status')} = ?`,
      [...(join?.parameters ?? []), memberId, 'ACTIVE'],
    );
    const row = rows[0];
    if (!row) return null;
    const member = members.read(row, 'member');
    member.key = keys.read(row, 'member_key');
    return member;
  }

  /**
   * The member as a GraphQL object, marked with whose data it is (and the purpose staff stated, if
   * any). `cipher`: the member's, if the caller has it already unwrapped.
   */
  view(member: MemberEntity, access: { purpose?: string } = {}, cipher: FieldCipher = this.ciphers.for(member)): Owned<Member> {
    return this.viewWith(member, cipher, access);
  }

  /** What the policy needs of a member row already loaded with its key (owner-facts.ts derives the rest). */
  ownerRecord(member: MemberEntity): OwnerRecord {
    return { birthDate: this.ciphers.for(member).open('birth_date', member.birthDateSealed) };
  }

  /** The same, from a view of the member (its birth date opened once for both). */
  ownerRecordOf(view: Member): OwnerRecord {
    return { birthDate: view.birthDate };
  }

  /** The policy's source of owner rows: many members in one statement; null where a member or key is gone. */
  async ownerRecords(memberIds: readonly string[]): Promise<Array<OwnerRecord | null>> {
    const rows = await this.dataSource.manager
      .createQueryBuilder(MemberEntity, 'member')
      .innerJoinAndSelect('member.key', 'key')
      .where('member.id IN (:...memberIds)', { memberIds: [...memberIds] })
      .getMany();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return memberIds.map((id) => {
      const row = byId.get(id);
      return row ? this.ownerRecord(row) : null;
    });
  }

  /** Staff look a member up by id, stating why; the purpose is audited with every field read. */
  async forStaff(memberId: string, purpose: string): Promise<{ member: Owned<Member>; record: () => OwnerRecord }> {
    const member = await this.findActive(memberId);
    if (!member) throw notFound('No such member.');
    return { member: this.view(member, { purpose }), record: () => this.ownerRecord(member) };
  }

  /**
   * PRIVACY_OFFICER corrects a birth date (e.g. on a guardian's evidence). Consents that now need
   * a guardian are withdrawn in the same transaction, with their effects.
   */
  async correctBirthDate(memberId: string, birthDate: string, purpose: string, channel: string): Promise<{ member: Owned<Member>; record: OwnerRecord }> {
    return this.dataSource.transaction(async (manager) => {
      await this.consents.lockMember(manager, memberId);
      const member = await manager.findOne(MemberEntity, { where: { id: memberId, status: 'ACTIVE' }, relations: { key: true } });
      if (!member) throw notFound('No such member.');
      const cipher = this.ciphers.for(member);
      const changes: Partial<MemberEntity> = { birthDateSealed: cipher.seal('birth_date', birthDate), updatedAt: new Date(), version: member.version + 1 };
      await this.withdrawIfNowMinor(manager, memberId, cipher.open('birth_date', member.birthDateSealed), birthDate, channel);
      const result = await manager.update(MemberEntity, { id: member.id, version: member.version }, changes);
      if (result.affected !== 1) throw conflict('memberId', 'The profile was changed by another request; retry.');
      return { member: this.viewWith({ ...member, ...changes } as MemberEntity, cipher, { purpose }), record: { birthDate } };
    });
  }

  /** The member's row, locked until `manager`'s transaction ends (sign-in and password changes serialise on it). */
  lockedRow(manager: EntityManager, memberId: string): Promise<MemberRow | null> {
    return manager.findOne(MemberEntity, { where: { id: memberId }, ...rowLock(this.dataSource) });
  }

  /** A new password hash; tokens issued before `tokensValidAfter` stop working. Inside the caller's transaction and lock. */
  async replacePassword(manager: EntityManager, member: MemberRow, passwordHash: string, tokensValidAfter: Date): Promise<void> {
    await manager.update(MemberEntity, { id: member.id }, { passwordHash, tokensValidAfter, updatedAt: new Date(), version: member.version + 1 });
  }

  /**
   * Applies corrections; a new phone or birth date needs a recent sign-in, a phone must be free.
   * A minor's birth date moves to an adult one only as a verified document says.
   */
  async updateProfile(viewer: MemberViewer, input: ProfileInput, channel: string): Promise<Owned<Member>> {
    for (const field of ['phone', 'contactName'] as const) {
      if (input[field] === null) throw badUserInput(field, `${field} cannot be cleared`);
    }
    const phone = input.phone ? normalisePhone(input.phone)! : undefined;
    if (phone !== undefined || input.birthDate !== undefined) requireRecentPasswordAuth(viewer, this.settings.stepUpMaxAgeSeconds);
    return withUniqueViolationsAsConflicts(() =>
      this.dataSource.transaction(async (manager) => {
        // The consent lock: no grant can slip in between the age check and the birth date change.
        if (input.birthDate !== undefined) await this.consents.lockMember(manager, viewer.memberId);
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
        if (input.birthDate !== undefined) {
          const onFile = cipher.open('birth_date', member.birthDateSealed);
          const newDate = input.birthDate ?? null;
          if (isMinor(onFile, this.settings.minorAge) && !isMinor(newDate, this.settings.minorAge) && !(await this.evidenceFor(manager, member.id, newDate))) {
            throw forbidden(
              "A minor's birth date can only be changed to an adult one by a verified real-name identity with that birth date, or by a privacy officer.",
              {
                field: 'birthDate',
                reason: 'BIRTH_DATE_EVIDENCE_REQUIRED',
              },
            );
          }
          await this.withdrawIfNowMinor(manager, member.id, onFile, newDate, channel);
          changes.birthDateSealed = cipher.seal('birth_date', input.birthDate);
        }
        // Optimistic: a concurrent edit that committed first makes this one a CONFLICT, not a mix.
        const result = await manager.update(MemberEntity, { id: member.id, version: member.version }, changes);
        if (result.affected !== 1) throw conflict('input', 'The profile was changed by another request; reload and retry.');
        return this.viewWith({ ...member, ...changes } as MemberEntity, cipher);
      }),
    );
  }

  /** Whether a registered proof (a verified document) states exactly `birthDate`. */
  private async evidenceFor(manager: EntityManager, memberId: string, birthDate: string | null): Promise<boolean> {
    if (birthDate === null) return false;
    for (const evidence of this.birthDateEvidence) if ((await evidence(manager, memberId)) === birthDate) return true;
    return false;
  }

  /** A member who becomes a minor keeps only the optional purposes a guardian agreed to. */
  private async withdrawIfNowMinor(manager: EntityManager, memberId: string, before: string | null, after: string | null, channel: string): Promise<void> {
    if (!isMinor(before, this.settings.minorAge) && isMinor(after, this.settings.minorAge))
      await this.consents.withdrawNeedingGuardian(manager, memberId, channel);
  }

  private async assertUnique(manager: EntityManager, indexes: { memberNameIndex?: string; phoneIndex?: string }): Promise<void> {
    if (indexes.memberNameIndex && (await manager.existsBy(MemberEntity, { memberNameIndex: indexes.memberNameIndex }))) {
      throw conflict('memberName', 'This member name is already taken.');
    }
    if (indexes.phoneIndex && (await manager.existsBy(MemberEntity, { phoneIndex: indexes.phoneIndex }))) {
      throw conflict('phone', 'This phone number is already registered.');
    }
  }

  /** Sealed columns are opened when a field is read (once the policy allowed it), not here. */
  private viewWith(member: MemberEntity, cipher: FieldCipher, access: { purpose?: string } = {}): Owned<Member> {
    const view = withLazyFields(
      { id: member.id, createdAt: member.createdAt },
      {
        memberName: () => cipher.open('member_name', member.memberNameSealed),
        phone: () => cipher.open('phone', member.phoneSealed),
        contactName: () => cipher.open('contact_name', member.contactNameSealed),
        contactAddress: () => cipher.open('contact_address', member.contactAddressSealed),
        birthDate: () => cipher.open('birth_date', member.birthDateSealed),
      },
    );
    return owned(withLazyFields(view, { isMinor: () => isMinor(view.birthDate, this.settings.minorAge) }), { memberId: member.id, ...access });
  }
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
