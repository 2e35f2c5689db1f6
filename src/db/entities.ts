import { AuditChainHeadEntity } from '../audit/audit-chain-head.entity';
import { AuditEventEntity } from '../audit/audit-event.entity';
import { AuthSessionEntity } from '../auth/auth-session.entity';
import { RefreshTokenEntity } from '../auth/refresh-token.entity';
import { ConsentEventEntity } from '../consent/consent-event.entity';
import { MemberKeyEntity } from '../members/member-key.entity';
import { MemberEntity } from '../members/member.entity';

/** Every entity, listed explicitly so the same list works from ts sources and compiled output. */
export const entities = [MemberEntity, MemberKeyEntity, AuthSessionEntity, RefreshTokenEntity, ConsentEventEntity, AuditEventEntity, AuditChainHeadEntity];
