import { type MemberDataHook, NOT_EXPORTED } from '../privacy/member-data-hook';
import { ConsentEventEntity } from './consent-event.entity';

const LEDGER = 'retain: the consent ledger proves earlier processing was lawful';

/** The consent ledger: exported in full; kept at erasure (the guardian's details shred with the key). */
export const consentMemberData: MemberDataHook = {
  feature: 'consent',
  tables: [
    {
      table: 'consent_event',
      owner: 'member_id',
      columns: {
        id: { export: NOT_EXPORTED.key, erasure: LEDGER },
        member_id: { export: NOT_EXPORTED.owner, erasure: LEDGER },
        purpose: { export: 'consents', erasure: LEDGER },
        granted: { export: 'consents', erasure: LEDGER },
        method: { export: 'consents', erasure: LEDGER },
        policy_version: { export: 'consents', erasure: LEDGER },
        created_at: { export: 'consents', erasure: LEDGER },
        channel: { export: 'consents', erasure: LEDGER },
        guardian: { export: 'consents', erasure: 'shred' },
        seq: { export: 'none: order of the ledger, exported as the list order', erasure: LEDGER },
      },
    },
  ],

  async exportSections(manager, memberId, cipher, page) {
    const consents = await page('consents', (w) => manager.find(ConsentEventEntity, { where: { memberId }, order: { seq: 'ASC' }, ...w }));
    return {
      consents: consents.map((c) => ({
        purpose: c.purpose,
        granted: c.granted,
        method: c.method,
        channel: c.channel,
        policyVersion: c.policyVersion,
        at: c.createdAt,
        guardian: c.guardianSealed ? JSON.parse(cipher.open('consent_guardian', c.guardianSealed)) : null,
      })),
    };
  },
};
