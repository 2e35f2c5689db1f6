import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuthPayload } from '../auth/auth-payload.types';
import type { AuthService } from '../auth/auth.service';
import { requireRecentPasswordAuth } from '../auth/recent-auth';
import type { MemberViewer } from '../auth/viewer';
import { ConsentPurpose } from '../consent/consent-purpose';
import type { ConsentService } from '../consent/consent.service';
import { badUserInput, consentRequired, forbidden } from '../errors';
import type { IdentityService } from '../identity/identity.service';
import type { MemberService } from '../members/member.service';
import { DECOY_ID, type MemberVault } from '../members/member-vault.service';
import { owned, type Owned, type OwnerRef } from '../policy/owner';
import { BiometricEnrollmentEntity } from './biometric-enrollment.entity';
import { type BiometricEnrollment, BiometricKind } from './biometric.types';
import { cosine, fromStored, normalise, toStored, vectorProblem } from './vector';

const AMR: Record<BiometricKind, string> = { FACE: 'face', VOICEPRINT: 'voice' };

/**
 * Face and voiceprint enrolment and login. Templates are L2-normalised, sealed with the member's
 * key and only ever compared here: no type, query or export returns them.
 */
export class BiometricService {
  private readonly decoys = new Map<string, string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: MemberVault,
    private readonly members: MemberService,
    private readonly identities: IdentityService,
    private readonly consents: ConsentService,
    private readonly auth: AuthService,
    private readonly settings: { stepUpMaxAgeSeconds: number; matchThreshold: number },
  ) {
    consents.onWithdrawal(ConsentPurpose.BIOMETRIC, 'biometrics', (manager, memberId) => this.erase(manager, memberId));
    // Face login rests on the verified real-name identity: it goes with it.
    consents.onWithdrawal(ConsentPurpose.REAL_NAME_AUTH, 'biometrics', (manager, memberId) => this.erase(manager, memberId, BiometricKind.FACE));
  }

  /** `beforeCommit` runs last inside the transaction (the resolver writes the audit records there). */
  async enroll(
    viewer: MemberViewer,
    kind: BiometricKind,
    template: number[],
    beforeCommit: (manager: EntityManager, enrolment: Owned<BiometricEnrollment>) => Promise<void> = async () => undefined,
  ): Promise<Owned<BiometricEnrollment>> {
    const problem = vectorProblem(template);
    if (problem) throw badUserInput('template', `template ${problem}`);
    const { isMinor } = this.members.view(viewer.member);
    if (isMinor && !(await this.consents.grantedByGuardian(viewer.memberId, ConsentPurpose.BIOMETRIC))) {
      throw consentRequired(ConsentPurpose.BIOMETRIC, { requiresGuardian: true });
    }
    if (!(await this.consents.granted(viewer.memberId)).has(ConsentPurpose.BIOMETRIC)) throw consentRequired(ConsentPurpose.BIOMETRIC);
    requireRecentPasswordAuth(viewer, this.settings.stepUpMaxAgeSeconds);
    return this.consents.whileGranted(viewer.memberId, ConsentPurpose.BIOMETRIC, async (manager) => {
      if (kind === 'FACE') {
        const status = await this.identities.statusOf(viewer.memberId, manager);
        if (status === null) throw forbidden('Face enrolment needs a verified real-name identity.', { reason: 'VERIFIED_IDENTITY_REQUIRED' });
        if (status !== 'VERIFIED') throw forbidden('The real-name identity must be verified again first.', { reason: 'REVERIFICATION_REQUIRED' });
      }
      const cipher = await this.vault.cipherFor(viewer.memberId, manager);
      const row: BiometricEnrollmentEntity = {
        id: randomUUID(),
        memberId: viewer.memberId,
        kind,
        templateSealed: cipher.seal(`biometric_${kind}`, toStored(normalise(template))),
        dimensions: template.length,
        enrolledAt: new Date(),
      };
      await manager.delete(BiometricEnrollmentEntity, { memberId: viewer.memberId, kind });
      await manager.insert(BiometricEnrollmentEntity, row);
      const enrolment = owned({ kind, enrolledAt: row.enrolledAt }, { memberId: viewer.memberId });
      await beforeCommit(manager, enrolment);
      return enrolment;
    });
  }

  async remove(viewer: MemberViewer, kind: BiometricKind): Promise<boolean> {
    const result = await this.dataSource.manager.delete(BiometricEnrollmentEntity, { memberId: viewer.memberId, kind });
    return (result.affected ?? 0) > 0;
  }

  async enrollmentsOf(owner: OwnerRef): Promise<Owned<BiometricEnrollment>[]> {
    const rows = await this.dataSource.manager.find(BiometricEnrollmentEntity, { where: { memberId: owner.memberId }, order: { kind: 'ASC' } });
    return rows.map((row) => owned({ kind: row.kind as BiometricKind, enrolledAt: row.enrolledAt }, owner));
  }

  /**
   * Signs in when the sample's cosine similarity to the enrolled template reaches the threshold.
   * Every attempt does the same work whether or not the member, the enrolment or the consent
   * exists: the same lookups, one key unwrapped, one template decrypted and compared (a decoy one
   * when there is nothing real to compare), so the answer's timing does not reveal accounts.
   */
  login(identifier: string, kind: BiometricKind, sample: number[], clientAddress: string): Promise<AuthPayload> {
    const problem = vectorProblem(sample);
    if (problem) throw badUserInput('sample', `sample ${problem}`);
    return this.auth.signIn(identifier, clientAddress, AMR[kind], async (member) => {
      const memberId = member?.id ?? DECOY_ID;
      const enrolled = await this.dataSource.manager.findOneBy(BiometricEnrollmentEntity, { memberId, kind });
      const consented = (await this.consents.granted(memberId)).has(ConsentPurpose.BIOMETRIC);
      // Face login rests on a verified identity: an edit awaiting re-verification suspends it.
      const identityOk = (await this.identities.statusOf(memberId)) === 'VERIFIED' || kind !== BiometricKind.FACE;
      const real = member !== null && enrolled !== null && enrolled.dimensions === sample.length;
      const cipher = real ? this.vault.cipherForLoaded(member) : this.vault.decoyCipher();
      const template = fromStored(cipher.open(`biometric_${kind}`, real ? enrolled.templateSealed : this.decoyTemplate(kind, sample.length)));
      const matches = cosine(template, normalise(sample)) >= this.settings.matchThreshold;
      return real && consented && identityOk && matches;
    });
  }

  /** A sealed random template of `dimensions` under the decoy key, made once per kind and size. */
  private decoyTemplate(kind: BiometricKind, dimensions: number): string {
    const key = `${kind}:${dimensions}`;
    let sealed = this.decoys.get(key);
    if (!sealed) {
      const values = Array.from({ length: dimensions }, () => Math.random() - 0.5);
      sealed = this.vault.decoyCipher().seal(`biometric_${kind}`, toStored(normalise(values)));
      this.decoys.set(key, sealed);
    }
    return sealed;
  }

  private async erase(manager: EntityManager, memberId: string, kind?: BiometricKind): Promise<void> {
    await manager.delete(BiometricEnrollmentEntity, kind ? { memberId, kind } : { memberId });
  }
}
