import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A device a member browsed from. Identifier, model, OS, IP and location are sealed with the member's key. */
@Entity('device')
@Index('uq_device_member_identifier', ['memberId', 'identifierIndex'], { unique: true })
@Index('ix_device_member_seen', ['memberId', 'lastSeenAt'])
@Index('ix_device_last_seen', ['lastSeenAt'])
export class DeviceEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'member_id', type: 'varchar', length: 36 })
  memberId!: string;

  /** Blind index of the device identifier, to find the device again without the plaintext. */
  @Column({ name: 'identifier_index', type: 'varchar', length: 64 })
  identifierIndex!: string;

  @Column({ name: 'identifier', type: 'text' })
  identifierSealed!: string;

  @Column({ name: 'model', type: 'text', nullable: true })
  modelSealed!: string | null;

  @Column({ name: 'os_version', type: 'text', nullable: true })
  osVersionSealed!: string | null;

  @Column({ name: 'ip_address', type: 'text', nullable: true })
  ipAddressSealed!: string | null;

  /** Stored only while the member has LOCATION consent; deleted when it is withdrawn. */
  @Column({ name: 'location', type: 'text', nullable: true })
  locationSealed!: string | null;

  @Column({ name: 'last_seen_at', type: 'datetime', precision: 3 })
  lastSeenAt!: Date;
}
