import { keysetPage } from '../common/keyset-page';
import type { ListPageArgs } from '../common/list-page.args';
import { randomUUID } from 'node:crypto';
import { type DataSource, IsNull, Not } from 'typeorm';
import type { Viewer } from '../auth/viewer';
import { ConsentPurpose } from '../consent/consent-purpose';
import type { ConsentService } from '../consent/consent.service';
import type { FieldCipher } from '../crypto';
import type { MemberVault } from '../members/member-vault.service';
import { owned, type Owned, type OwnerRef } from '../policy/owner';
import { AutomatedDecisionEntity } from './automated-decision.entity';
import { BrowsingEventEntity } from './browsing-event.entity';
import type { AutomatedDecision, DecisionFactor, Product } from './browsing.types';

/** How much one event says about interest in a product. */
const WEIGHTS: Record<string, number> = { CART_ADD: 3, COLLECT: 2, FOLLOW: 2, SHARE: 1, PAGE_VIEW: 1, SEARCH: 0 };
const RECENT_EVENTS = 200;

/**
 * Recommendations. Personalised from the member's own browsing only with PERSONALIZATION
 * consent, and then recorded as an automated decision with its factors; otherwise everyone gets
 * the same list (most interacted-with products across the store, an aggregate).
 */
export class RecommendationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: MemberVault,
    private readonly consents: ConsentService,
  ) {}

  async recommend(viewer: Viewer, first: number): Promise<Product[]> {
    if (viewer.kind === 'MEMBER' && (await this.consents.granted(viewer.memberId)).has(ConsentPurpose.PERSONALIZATION)) {
      const personal = await this.personal(viewer.memberId, first);
      if (personal.length > 0) return personal;
    }
    const rows = await this.dataSource.manager
      .createQueryBuilder(BrowsingEventEntity, 'event')
      .select('event.productId', 'productId')
      .addSelect('COUNT(*)', 'events')
      .where('event.productId IS NOT NULL')
      .groupBy('event.productId')
      .orderBy('events', 'DESC')
      .addOrderBy('event.productId', 'ASC')
      .limit(first)
      .getRawMany<{ productId: string; events: string | number }>();
    return rows.map((row) => ({ id: row.productId, score: Number(row.events) }));
  }

  async decisionsOf(owner: OwnerRef, cipher: FieldCipher, page: ListPageArgs = {}): Promise<Owned<AutomatedDecision>[]> {
    const rows = await keysetPage(this.dataSource.manager, AutomatedDecisionEntity, { where: { memberId: owner.memberId }, orderBy: 'decidedAt', direction: 'DESC', page });
    return rows.map((row) => {
      const detail = JSON.parse(cipher.open('decision_detail', row.detailSealed)) as { outcome: string[]; factors: DecisionFactor[] };
      return owned({ id: row.id, kind: row.kind, decidedAt: row.decidedAt, outcome: detail.outcome, factors: detail.factors }, owner);
    });
  }

  private async personal(memberId: string, first: number): Promise<Product[]> {
    const events = await this.dataSource.manager.find(BrowsingEventEntity, {
      select: { kind: true, productId: true },
      where: { memberId, productId: Not(IsNull()) },
      order: { id: 'DESC' },
      take: RECENT_EVENTS,
    });
    const factors = new Map<string, DecisionFactor>();
    for (const event of events) {
      const factor = factors.get(event.productId!) ?? { productId: event.productId!, events: 0, weight: 0 };
      factor.events += 1;
      factor.weight += WEIGHTS[event.kind] ?? 0;
      factors.set(event.productId!, factor);
    }
    const ranked = [...factors.values()].filter((factor) => factor.weight > 0).sort((a, b) => b.weight - a.weight || a.productId.localeCompare(b.productId)).slice(0, first);
    if (ranked.length === 0) return [];
    const cipher = await this.vault.cipherFor(memberId);
    const detail = { outcome: ranked.map((factor) => factor.productId), factors: ranked };
    await this.dataSource.manager.insert(AutomatedDecisionEntity, {
      id: randomUUID(),
      memberId,
      kind: 'RECOMMENDATION',
      detailSealed: cipher.seal('decision_detail', JSON.stringify(detail)),
      decidedAt: new Date(),
    });
    return ranked.map((factor) => ({ id: factor.productId, score: factor.weight }));
  }
}
