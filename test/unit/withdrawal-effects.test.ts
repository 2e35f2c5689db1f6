import type { DataSource } from 'typeorm';
import { ConsentPurpose } from '../../src/consent/consent-purpose';
import { ConsentService } from '../../src/consent/consent.service';
import type { MemberVault } from '../../src/members/member-vault.service';

describe('the withdrawal effects registry', () => {
  // Registration and the start-up check never touch the database.
  const ledger = () => new ConsentService(undefined as unknown as DataSource, undefined as unknown as MemberVault, async () => null);

  it('refuses a handler for an effect WITHDRAWAL_EFFECTS does not list', () => {
    expect(() => ledger().onWithdrawal(ConsentPurpose.MARKETING, 'browsing', async () => {})).toThrow(/MARKETING/);
    expect(() => ledger().onWithdrawal(ConsentPurpose.LOCATION, 'identity', async () => {})).toThrow(/LOCATION/);
  });

  it('fails the start-up check while a listed effect has no handler', () => {
    const consents = ledger();
    consents.onWithdrawal(ConsentPurpose.LOCATION, 'browsing', async () => {});
    expect(() => consents.assertWithdrawalEffectsWired()).toThrow(/No \w+ handler for withdrawing/);
  });
});
