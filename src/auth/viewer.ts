import type { MemberRow } from '../members/member-row';

export const STAFF_ROLES = ['SUPPORT', 'VERIFIER', 'PRIVACY_OFFICER', 'LOGISTICS_PARTNER'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Who is asking. Decided once per request from the bearer token; never from request data. */
export type Viewer =
  /** `rejectedToken`: a bearer token was sent but refused; only operations that need no viewer run. */
  | { kind: 'ANONYMOUS'; rejectedToken?: TokenRejection }
  | {
      kind: 'MEMBER';
      memberId: string;
      sessionId: string;
      /** Epoch seconds of the member's last sign-in or step-up. */
      authTime: number;
      amr: string[];
      /** The member's row, loaded with the token check so resolvers need not load it again. */
      member: MemberRow;
    }
  | { kind: StaffRole; subject: string; partnerId?: string; authTime?: number };

/** Why a bearer token was refused (extensions.reason of the UNAUTHENTICATED answer). */
export type TokenRejection = 'TOKEN_EXPIRED' | 'TOKEN_INVALID';

export type MemberViewer = Extract<Viewer, { kind: 'MEMBER' }>;

export const ANONYMOUS: Viewer = Object.freeze({ kind: 'ANONYMOUS' });
