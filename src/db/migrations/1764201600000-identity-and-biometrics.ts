import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

const uuid = (name: string, isPrimary = false) => ({ name, type: 'varchar', length: '36', isPrimary });
const at = (name: string, isNullable = false) => ({ name, type: 'datetime', isNullable });

/** Real-name identities with their sealed history and verification cases; biometric enrolments. */
export class IdentityAndBiometrics1764201600000 implements MigrationInterface {
  name = 'IdentityAndBiometrics1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'real_name_identity',
        columns: [
          uuid('member_id', true),
          { name: 'legal_name', type: 'text' },
          { name: 'document_type', type: 'varchar', length: '24' },
          { name: 'document_number', type: 'text' },
          { name: 'document_index', type: 'varchar', length: '64' },
          { name: 'status', type: 'varchar', length: '16' },
          at('verified_at', true),
          { name: 'rejection_reason', type: 'varchar', length: '500', isNullable: true },
          at('updated_at'),
          { name: 'version', type: 'integer' },
        ],
        indices: [new TableIndex({ name: 'uq_real_name_identity_document', columnNames: ['document_index'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'real_name_history',
        columns: [
          uuid('id', true),
          uuid('member_id'),
          { name: 'legal_name', type: 'text' },
          { name: 'document_type', type: 'varchar', length: '24' },
          { name: 'document_number', type: 'text' },
          at('verified_at', true),
          at('replaced_at'),
        ],
        indices: [new TableIndex({ name: 'ix_real_name_history_member', columnNames: ['member_id', 'replaced_at'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'verification',
        columns: [
          uuid('id', true),
          uuid('member_id'),
          { name: 'status', type: 'varchar', length: '16' },
          at('opened_at'),
          at('decided_at', true),
          { name: 'decided_by', type: 'varchar', length: '128', isNullable: true },
          { name: 'reason', type: 'varchar', length: '500', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'ix_verification_status', columnNames: ['status', 'opened_at'] }),
          new TableIndex({ name: 'ix_verification_member', columnNames: ['member_id', 'opened_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'biometric_enrollment',
        columns: [
          uuid('id', true),
          uuid('member_id'),
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'template', type: 'text' },
          { name: 'dimensions', type: 'integer' },
          at('enrolled_at'),
        ],
        indices: [new TableIndex({ name: 'uq_biometric_enrollment_member_kind', columnNames: ['member_id', 'kind'], isUnique: true })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['biometric_enrollment', 'verification', 'real_name_history', 'real_name_identity']) await queryRunner.dropTable(table);
  }
}
