import { keysetPage } from '../common/keyset-page';
import type { ListPageArgs } from '../common/list-page.args';
import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager, IsNull, Not } from 'typeorm';
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
/** Names the ranking below; a decision is recorded at most once per member, model version and day. */
export const RECOMMENDATION_MODEL_VERSION = 'recent-weights-v1';

/**
 * Recommendations. Personalised from the member's own browsing only with PERSONALIZATION
 * consent, and then recorded as an automated decision with its factors (at most once per member,
 * model version and UTC day, so a query writes nothing beyond that audit record). Everyone else
 * gets the same aggregate: products ranked by how many distinct members touched them, shown only
 * once at least `minMembers` did, so no list reveals what one member browsed.
 *
 * Which members count in the aggregate: only those who consent to PERSONALIZATION. Feeding
 * recommendations is what a member's browsing is used for here, and PERSONALIZATION is the
 * purpose members agree to for exactly that ("use my browsing for recommendations");
 * ANALYTICS_COOKIES is about cookies and visit measurement on the member's device, not about
 * their account's browsing. The browsing feature keeps `product_id` (what this reads) only while
 * that consent holds, and a withdrawal clears it in the same transaction.
 */
export class RecommendationService {
  private readonly minMembers: number;
  private readonly now: () => Date;

  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: MemberVault,
    private readonly consents: ConsentService,
    options: { minMembers: number; now?: () => Date },
  ) {
    this.minMembers = options.minMembers;
    this.now = options.now ?? (() => new Date());
    consents.onWithdrawal(ConsentPurpose.PERSONALIZATION, 'recommendations', (manager, memberId) => this.forget(manager, memberId));
  }

  async recommend(viewer: Viewer, first: number): Promise<Product[]> {
    if (viewer.kind === 'MEMBER' && (await this.consents.granted(viewer.memberId)).has(ConsentPurpose.PERSONALIZATION)) {
      const ranked = await this.rank(viewer.memberId, first);
      if (ranked.length > 0 && (await this.recordDecision(viewer.memberId, ranked))) {
        return ranked.map((factor) => ({ id: factor.productId, score: factor.weight }));
      }
    }
    return this.popular(first);
  }

  async decisionsOf(owner: OwnerRef, cipher: FieldCipher, page: ListPageArgs = {}): Promise<Owned<AutomatedDecision>[]> {
    const rows = await keysetPage(this.dataSource.manager, AutomatedDecisionEntity, {
      where: { memberId: owner.memberId },
      orderBy: 'decidedAt',
      direction: 'DESC',
      page,
    });
    return rows.map((row) => {
      const detail = JSON.parse(cipher.open('decision_detail', row.detailSealed)) as { outcome: string[]; factors: DecisionFactor[] };
      return owned({ id: row.id, kind: row.kind, decidedAt: row.decidedAt, outcome: detail.outcome, factors: detail.factors }, owner);
    });
  }

  /** Withdrawal of PERSONALIZATION: the product ids recommendations are computed from go; decisions stay listed. */
  private async forget(manager: EntityManager, memberId: string): Promise<void> {
    await manager.update(BrowsingEventEntity, { memberId, productId: Not(IsNull()) }, { productId: null });
  }

  /** The aggregate everyone may see: only products at least `minMembers` distinct (consenting) members touched. */
  private async popular(first: number): Promise<Product[]> {
    const rows = await this.dataSource.manager
      .createQueryBuilder(BrowsingEventEntity, 'event')
      .select('event.productId', 'productId')
      .addSelect('COUNT(DISTINCT event.memberId)', 'members')
      .where('event.productId IS NOT NULL')
      .groupBy('event.productId')
      .having('COUNT(DISTINCT event.memberId) >= :minMembers', { minMembers: this.minMembers })
      .orderBy('members', 'DESC')
      .addOrderBy('event.productId', 'ASC')
      .limit(first)
      .getRawMany<{ productId: string; members: string | number }>();
    return rows.map((row) => ({ id: row.productId, score: Number(row.members) }));
  }

  private async rank(memberId: string, first: number): Promise<DecisionFactor[]> {
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
    return [...factors.values()]
      .filter((factor) => factor.weight > 0)
      .sort((a, b) => b.weight - a.weight || a.productId.localeCompare(b.productId))
      .slice(0, first);
  }

  /**
   * Records today's decision unless one exists (insert-ignore on the unique key: safe when
   * requests race, on both databases). Under the member's consent lock with the consent
   * re-checked, so no decision is made after a PERSONALIZATION withdrawal commits; false then.
   */
  private async recordDecision(memberId: string, ranked: DecisionFactor[]): Promise<boolean> {
    const decidedAt = this.now();
    const decidedOn = decidedAt.toISOString().slice(0, 10);
    const key = { memberId, modelVersion: RECOMMENDATION_MODEL_VERSION, decidedOn };
    // Already recorded today: nothing to write, so no lock on the common path.
    if (await this.dataSource.manager.exists(AutomatedDecisionEntity, { where: key })) return true;
    return this.dataSource.transaction(async (manager) => {
      await this.consents.lockMember(manager, memberId);
      if (!(await this.consents.isGranted(manager, memberId, ConsentPurpose.PERSONALIZATION))) return false;
      if (await manager.exists(AutomatedDecisionEntity, { where: key })) return true;
      const cipher = await this.vault.cipherFor(memberId, manager);
      const detail = { outcome: ranked.map((factor) => factor.productId), factors: ranked };
      await manager
        .createQueryBuilder()
        .insert()
        .into(AutomatedDecisionEntity)
        .values({ id: randomUUID(), ...key, kind: 'RECOMMENDATION', detailSealed: cipher.seal('decision_detail', JSON.stringify(detail)), decidedAt })
        .orIgnore()
        .execute();
      return true;
    });
  }
}
