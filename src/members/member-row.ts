import type { MemberEntity } from './member.entity';

/**
 * The member's row as the token check loads it, handed to other features read-only (the viewer
 * carries it so resolvers need not load it again). Changes go through MemberService.
 */
export type MemberRow = Readonly<MemberEntity>;
