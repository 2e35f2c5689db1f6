// Who is asking: member tokens the gateway signs itself (jose, ES256/EdDSA), staff and partner
// tokens from the external identity provider, sessions with rotating refresh tokens, password
// hashing and login throttling. The only module that imports jose; it decides no field access.
export { Authenticator } from './authenticator';
export { AuthService } from './auth.service';
export { MemberTokens } from './member-tokens';
export { StaffTokens } from './staff-tokens';
export { SessionService } from './session.service';
export type { Viewer, MemberViewer, StaffRole } from './viewer';
