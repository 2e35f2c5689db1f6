import { registerEnumType } from 'type-graphql';

/** The privacy policy's categories of personal data (DESIGN.md). Every personal field has one. */
export enum DataCategory {
  ACCOUNT = 'ACCOUNT',
  CONTACT = 'CONTACT',
  GOVERNMENT_ID = 'GOVERNMENT_ID',
  BIOMETRIC = 'BIOMETRIC',
  FINANCIAL = 'FINANCIAL',
  TRANSACTION = 'TRANSACTION',
  LOCATION = 'LOCATION',
  DEVICE = 'DEVICE',
  BROWSING = 'BROWSING',
}

/** Sensitive categories: separate consent, step-up for full values, every read audited. */
export const SENSITIVE = new Set<DataCategory>([
  DataCategory.GOVERNMENT_ID,
  DataCategory.BIOMETRIC,
  DataCategory.FINANCIAL,
  DataCategory.TRANSACTION,
  DataCategory.LOCATION,
]);

/** Words for descriptions and notices. */
export const CATEGORY_LABEL: Record<DataCategory, string> = {
  ACCOUNT: 'account',
  CONTACT: 'contact',
  GOVERNMENT_ID: 'government ID',
  BIOMETRIC: 'biometric',
  FINANCIAL: 'financial',
  TRANSACTION: 'transaction',
  LOCATION: 'location',
  DEVICE: 'device',
  BROWSING: 'browsing',
};

registerEnumType(DataCategory, {
  name: 'DataCategory',
  description:
    "A category of personal data in the site's privacy policy. A minor's data is treated as sensitive in every category: audited, and masked for anyone but the minor.",
});
