import { BlindIndex, FieldCipher, KeyWrapper } from '../crypto';
import type { MemberKeyEntity } from './member-key.entity';
import type { MemberEntity } from './member.entity';

/** Binds the crypto module to members: their data keys, field ciphers and lookup indexes. */
export class MemberCiphers {
  constructor(
    private readonly wrapper: KeyWrapper,
    private readonly blindIndex: BlindIndex,
  ) {}

  /** A fresh data key for a new member: the cipher to seal with, and the key row to store. */
  create(memberId: string): { cipher: FieldCipher; keyRow: MemberKeyEntity } {
    const { key, wrapped, kekId } = this.wrapper.create(memberId);
    return { cipher: new FieldCipher(memberId, key), keyRow: { memberId, wrappedKey: wrapped, kekId, createdAt: new Date() } };
  }

  /** The cipher of a member loaded with its `key` relation; fails if the key was destroyed. */
  for(member: MemberEntity): FieldCipher {
    if (!member.key) throw new Error('member data key is not loaded or was destroyed');
    return new FieldCipher(member.id, this.wrapper.unwrap(member.id, member.key.wrappedKey));
  }

  /** The cipher for a member whose wrapped key was loaded separately. */
  forKey(memberId: string, wrappedKey: string): FieldCipher {
    return new FieldCipher(memberId, this.wrapper.unwrap(memberId, wrappedKey));
  }

  /** A blind index in its own domain (`kind`), e.g. documents. */
  index(kind: string, normalisedValue: string): string {
    return this.blindIndex.of(kind, normalisedValue);
  }

  nameIndex(memberName: string): string {
    return this.blindIndex.of('member-name', memberName.toLowerCase());
  }

  /** `e164` must already be normalised. */
  phoneIndex(e164: string): string {
    return this.blindIndex.of('phone', e164);
  }
}
