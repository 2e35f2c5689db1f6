// Face and voiceprint: enrolment of sealed, L2-normalised templates and sign-in by cosine
// similarity. Templates leave this module never: no type, query or export carries them.
export { BiometricService } from './biometric.service';
export { BiometricResolver } from './biometric.resolver';
export { BiometricEnrollment, BiometricKind } from './biometric.types';
