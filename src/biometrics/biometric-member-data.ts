import { type MemberDataHook, NOT_EXPORTED } from '../privacy/member-data-hook';
import { BiometricEnrollmentEntity } from './biometric-enrollment.entity';

/** Biometric enrolments: the export says which exist, never the template; erasure deletes them. */
export const biometricMemberData: MemberDataHook = {
  feature: 'biometrics',
  tables: [
    {
      table: 'biometric_enrollment',
      owner: 'member_id',
      columns: {
        id: { export: NOT_EXPORTED.key, erasure: 'delete' },
        member_id: { export: NOT_EXPORTED.owner, erasure: 'delete' },
        kind: { export: 'biometricEnrollments', erasure: 'delete' },
        template: { export: 'none: a template is a credential (it logs in as the member); never handed out', erasure: 'delete' },
        dimensions: { export: 'none: the template vector length, part of the template', erasure: 'delete' },
        enrolled_at: { export: 'biometricEnrollments', erasure: 'delete' },
      },
    },
  ],

  async exportSections(manager, memberId, _cipher, page) {
    const enrolments = await page('biometricEnrollments', (w) =>
      manager.find(BiometricEnrollmentEntity, { select: { kind: true, enrolledAt: true }, where: { memberId }, order: { kind: 'ASC' }, ...w }),
    );
    return { biometricEnrollments: enrolments.map((e) => ({ kind: e.kind, enrolledAt: e.enrolledAt })) };
  },

  async erase(manager, memberId) {
    await manager.delete(BiometricEnrollmentEntity, { memberId });
  },
};
