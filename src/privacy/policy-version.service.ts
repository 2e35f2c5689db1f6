import type { DataSource, EntityManager } from 'typeorm';
import { conflict, notFound } from '../errors';
import { PolicyAcceptanceEntity } from './policy-acceptance.entity';
import { PrivacyPolicyEntity } from './privacy-policy.entity';
import type { PrivacyPolicy, PrivacyPolicyInput } from './privacy-policy.types';

/**
 * Versions of the privacy policy and members' acceptances. Versions are only ever added. A member
 * must accept again after a material version unless they accepted that version or a later one.
 */
export class PolicyVersionService {
  constructor(private readonly dataSource: DataSource) {}

  async publish(publishedBy: string, input: PrivacyPolicyInput): Promise<PrivacyPolicy> {
    return this.dataSource.transaction(async (manager) => {
      if (await manager.existsBy(PrivacyPolicyEntity, { version: input.version })) throw conflict('version', 'This version was already published.');
      const seq = ((await manager.maximum(PrivacyPolicyEntity, 'seq', {})) ?? 0) + 1;
      const row: PrivacyPolicyEntity = {
        version: input.version,
        seq,
        material: input.material,
        summary: input.summary,
        text: input.text,
        publishedAt: new Date(),
        publishedBy,
      };
      await manager.insert(PrivacyPolicyEntity, row);
      return row;
    });
  }

  /** One version, or the latest when none is named. */
  async get(version?: string | null): Promise<PrivacyPolicy | null> {
    if (version) return this.dataSource.manager.findOneBy(PrivacyPolicyEntity, { version });
    return (await this.dataSource.manager.find(PrivacyPolicyEntity, { order: { seq: 'DESC' }, take: 1 }))[0] ?? null;
  }

  list(): Promise<PrivacyPolicy[]> {
    return this.dataSource.manager.find(PrivacyPolicyEntity, { order: { seq: 'DESC' } });
  }

  /** The material version the member still has to accept, or null. */
  async mustAccept(memberId: string): Promise<string | null> {
    const material = (await this.dataSource.manager.find(PrivacyPolicyEntity, { where: { material: true }, order: { seq: 'DESC' }, take: 1 }))[0];
    if (!material) return null;
    const accepted = await this.dataSource.manager
      .createQueryBuilder(PolicyAcceptanceEntity, 'acceptance')
      .innerJoin(PrivacyPolicyEntity, 'policy', 'policy.version = acceptance.version')
      .where('acceptance.memberId = :memberId AND policy.seq >= :seq', { memberId, seq: material.seq })
      .getExists();
    return accepted ? null : material.version;
  }

  async accept(memberId: string, version: string): Promise<void> {
    if (!(await this.dataSource.manager.existsBy(PrivacyPolicyEntity, { version }))) throw notFound('No such policy version.');
    await this.record(this.dataSource.manager, memberId, version);
  }

  /** The version in force (the newest published), read through `manager`; null before the first. */
  async inForce(manager: EntityManager = this.dataSource.manager): Promise<string | null> {
    return (await manager.find(PrivacyPolicyEntity, { select: { version: true }, order: { seq: 'DESC' }, take: 1 }))[0]?.version ?? null;
  }

  /** A new member accepts the version in force when they register, in the registration's transaction. */
  async acceptLatest(manager: EntityManager, memberId: string): Promise<void> {
    const latest = (await manager.find(PrivacyPolicyEntity, { order: { seq: 'DESC' }, take: 1 }))[0];
    if (latest) await this.record(manager, memberId, latest.version);
  }

  private async record(manager: EntityManager, memberId: string, version: string): Promise<void> {
    if (await manager.existsBy(PolicyAcceptanceEntity, { memberId, version })) return;
    await manager.insert(PolicyAcceptanceEntity, { memberId, version, acceptedAt: new Date() });
  }
}
