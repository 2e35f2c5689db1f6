/**
 * Mutations that hash a password, check a biometric sample or mint tokens: at most one of them per
 * operation, so an operation cannot multiply scrypt work or guesses by aliasing.
 */
export const SIGN_IN_MUTATIONS = ['login', 'register', 'stepUp', 'refreshToken', 'loginWithBiometric', 'changePassword', 'cancelAccount'] as const;
