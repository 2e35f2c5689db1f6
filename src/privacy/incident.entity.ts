import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A personal-data breach, with the 72-hour deadline for telling the regulator. */
@Entity('incident')
export class IncidentEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'text' })
  description!: string;

  /** Comma-separated data categories affected. */
  @Column({ type: 'varchar', length: 200 })
  categories!: string;

  @Column({ name: 'actions_taken', type: 'text' })
  actionsTaken!: string;

  @Column({ name: 'member_advice', type: 'text' })
  memberAdvice!: string;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt!: Date;

  @Column({ name: 'recorded_at', type: 'datetime', precision: 3 })
  recordedAt!: Date;

  @Column({ name: 'regulator_deadline', type: 'datetime', precision: 3 })
  regulatorDeadline!: Date;

  @Column({ name: 'affected_members', type: 'integer' })
  affectedMembers!: number;

  @Column({ name: 'recorded_by', type: 'varchar', length: 128 })
  recordedBy!: string;
}
