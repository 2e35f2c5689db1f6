import { stepUpRequired } from '../errors';
import type { MemberViewer } from './viewer';

/** Sensitive edits need a password sign-in or step-up within the window; a biometric login does not count. */
export function requireRecentPasswordAuth(viewer: MemberViewer, maxAgeSeconds: number): void {
  const age = Math.floor(Date.now() / 1000) - viewer.authTime;
  if (!viewer.amr.includes('pwd') || age > maxAgeSeconds) throw stepUpRequired(maxAgeSeconds);
}
