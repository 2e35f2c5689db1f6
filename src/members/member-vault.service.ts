import { type DataSource, type EntityManager, In } from 'typeorm';
import type { FieldCipher } from '../crypto';
import type { MemberCiphers } from './member-ciphers';
import { rowLock } from '../db/row-lock';
import { MemberKeyEntity } from './member-key.entity';
import { MemberEntity } from './member.entity';

/** The member id of decoy work (no member has it). */
export const DECOY_ID = '00000000-0000-4000-8000-000000000000';

/** Hands other features the cipher of a member by id, loading the member's wrapped key. */
export class MemberVault {
  private decoyKey: string | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ciphers: MemberCiphers,
  ) {}

  /**
   * Locks the member's row until `manager`'s transaction ends (SELECT … FOR UPDATE; SQLite has one
   * writer). The lock consent changes, consent-dependent writes and erasure serialise on.
   */
  async lockMember(manager: EntityManager, memberId: string): Promise<void> {
    await manager.findOne(MemberEntity, { select: { id: true }, where: { id: memberId }, ...rowLock(this.dataSource) });
  }

  /** How many of these ids are members (any status). */
  countMembers(manager: EntityManager, memberIds: readonly string[]): Promise<number> {
    return memberIds.length === 0 ? Promise.resolve(0) : manager.countBy(MemberEntity, { id: In([...memberIds]) });
  }

  async cipherFor(memberId: string, manager: EntityManager = this.dataSource.manager): Promise<FieldCipher> {
    const key = await manager.findOneBy(MemberKeyEntity, { memberId });
    if (!key) throw new Error('member data key is missing (destroyed)');
    return this.ciphers.forKey(memberId, key.wrappedKey);
  }

  /** Ciphers of many members in one query (the per-request cipher loader); null where a key is gone. */
  async ciphersFor(memberIds: readonly string[]): Promise<Array<FieldCipher | null>> {
    const keys = await this.dataSource.manager.findBy(MemberKeyEntity, { memberId: In([...memberIds]) });
    const byMember = new Map(keys.map((key) => [key.memberId, key]));
    return memberIds.map((id) => {
      const key = byMember.get(id);
      return key ? this.ciphers.forKey(id, key.wrappedKey) : null;
    });
  }

  /** The cipher of a member entity loaded with its key. */
  cipherForLoaded(member: MemberEntity): FieldCipher {
    return this.ciphers.for(member);
  }

  /**
   * A cipher for no member, unwrapped from its own wrapped key on every call: what a sign-in for an
   * unknown member decrypts instead, at the same cost as a real member's key.
   */
  decoyCipher(): FieldCipher {
    this.decoyKey ??= this.ciphers.create(DECOY_ID).keyRow.wrappedKey;
    return this.ciphers.forKey(DECOY_ID, this.decoyKey);
  }

  index(kind: string, normalisedValue: string): string {
    return this.ciphers.index(kind, normalisedValue);
  }
}
