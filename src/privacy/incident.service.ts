import { keysetPage } from '../common/keyset-page';
import type { ListPageArgs } from '../common/list-page.args';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { MemberVault } from '../members/member-vault.service';
import { badUserInput } from '../errors';
import { CATEGORY_LABEL } from '../policy/data-category';
import { IncidentEntity } from './incident.entity';
import type { Incident, IncidentInput, Notification } from './incident.types';
import { NotificationEntity } from './notification.entity';

const REGULATOR_DEADLINE_MS = 72 * 3600 * 1000;

/** Breaches: recorded with the 72-hour regulator deadline, and every affected member notified in the same transaction. */
export class IncidentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: MemberVault,
  ) {}

  async record(recordedBy: string, input: IncidentInput): Promise<Incident> {
    const occurredAt = new Date(input.occurredAt);
    if (occurredAt.getTime() > Date.now()) throw badUserInput('occurredAt', 'occurredAt must not be in the future');
    const memberIds = [...new Set(input.affectedMemberIds)];
    return this.dataSource.transaction(async (manager) => {
      const known = await this.vault.countMembers(manager, memberIds);
      if (known !== memberIds.length) throw badUserInput('affectedMemberIds', 'affectedMemberIds names members that do not exist');
      const row: IncidentEntity = {
        id: randomUUID(),
        description: input.description.trim(),
        categories: [...new Set(input.categories)].join(','),
        actionsTaken: input.actionsTaken.trim(),
        memberAdvice: input.memberAdvice.trim(),
        occurredAt,
        recordedAt: new Date(),
        regulatorDeadline: new Date(occurredAt.getTime() + REGULATOR_DEADLINE_MS),
        affectedMembers: memberIds.length,
        recordedBy,
      };
      await manager.insert(IncidentEntity, row);
      const labels = input.categories.map((category) => CATEGORY_LABEL[category]).join(', ');
      const body = `What happened: ${row.description}\nData concerned: ${labels}.\nWhat we did: ${row.actionsTaken}\nWhat you can do: ${row.memberAdvice}`;
      for (let i = 0; i < memberIds.length; i += 500) {
        await manager.insert(
          NotificationEntity,
          memberIds.slice(i, i + 500).map((memberId) => ({
            id: randomUUID(),
            memberId,
            kind: 'BREACH',
            incidentId: row.id,
            title: 'A security incident affected your data',
            body,
            createdAt: row.recordedAt,
          })),
        );
      }
      return { ...row, categories: input.categories };
    });
  }

  async notificationsOf(memberId: string, page: ListPageArgs = {}): Promise<Notification[]> {
    return keysetPage(this.dataSource.manager, NotificationEntity, { where: { memberId }, orderBy: 'createdAt', direction: 'DESC', page });
  }
}
