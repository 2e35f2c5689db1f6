import type { DataSource, EntityManager } from 'typeorm';
import type { FieldCipher } from '../crypto';
import type { MemberCiphers } from './member-ciphers';
import { MemberKeyEntity } from './member-key.entity';
import type { MemberEntity } from './member.entity';

/** Hands other features the cipher of a member by id, loading the member's wrapped key. */
export class MemberVault {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ciphers: MemberCiphers,
  ) {}

  async cipherFor(memberId: string, manager: EntityManager = this.dataSource.manager): Promise<FieldCipher> {
    const key = await manager.findOneBy(MemberKeyEntity, { memberId });
    if (!key) throw new Error('member data key is missing (destroyed)');
    return this.ciphers.forKey(memberId, key.wrappedKey);
  }

  /** The cipher of a member entity loaded with its key. */
  cipherForLoaded(member: MemberEntity): FieldCipher {
    return this.ciphers.for(member);
  }

  index(kind: string, normalisedValue: string): string {
    return this.ciphers.index(kind, normalisedValue);
  }
}
