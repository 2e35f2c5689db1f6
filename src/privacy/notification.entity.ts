import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A message to a member (breach notices). The body says what happened, what was done, what they can do. */
@Entity('notification')
@Index('ix_notification_member', ['memberId', 'createdAt'])
export class NotificationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'member_id', type: 'varchar', length: 36 })
  memberId!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  @Column({ name: 'incident_id', type: 'varchar', length: 36, nullable: true })
  incidentId!: string | null;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
