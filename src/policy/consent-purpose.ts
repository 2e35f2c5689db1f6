import { registerEnumType } from 'type-graphql';

/** Why personal data is processed. MEMBERSHIP is the basic service; every other one is optional. */
export enum ConsentPurpose {
  MEMBERSHIP = 'MEMBERSHIP',
  PERSONALIZATION = 'PERSONALIZATION',
  LOCATION = 'LOCATION',
  REAL_NAME_AUTH = 'REAL_NAME_AUTH',
  BIOMETRIC = 'BIOMETRIC',
  PARTNER_SHARING = 'PARTNER_SHARING',
  ANALYTICS_COOKIES = 'ANALYTICS_COOKIES',
  MARKETING = 'MARKETING',
}

registerEnumType(ConsentPurpose, {
  name: 'ConsentPurpose',
  description: 'A purpose of processing a member can consent to. MEMBERSHIP is required; all others are optional.',
});
