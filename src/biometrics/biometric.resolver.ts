import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Mutation, Resolver } from 'type-graphql';
import { Parent } from '../common/parent.decorator';
import type { AuditService } from '../audit/audit.service';
import { auditWithinMutation } from '../audit/mutation-audit';
import { AuthPayload } from '../auth/auth-payload.types';
import { requireMember } from '../auth/require-member';
import { signedIn } from '../auth/signed-in';
import type { GatewayContext } from '../context';
import { Member } from '../members/member.types';
import { ownerOf } from '../policy/owner';
import { BiometricLoginArgs, EnrollBiometricArgs } from './biometric.args';
import { BiometricService } from './biometric.service';
import { BiometricEnrollment, BiometricKind } from './biometric.types';

@Resolver(() => Member)
export class BiometricResolver {
  constructor(
    private readonly enrolments: BiometricService,
    private readonly audit: AuditService,
  ) {}

  @Mutation(() => BiometricEnrollment, {
    description:
      'Enrol a face or voiceprint feature vector (64-1024 numbers). Needs consent BIOMETRIC and a recent sign-in; FACE also a verified real-name identity.',
  })
  enrollBiometric(
    @Args() { kind, template }: EnrollBiometricArgs,
    @Ctx() context: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<BiometricEnrollment> {
    return this.enrolments.enroll(requireMember(context), kind, template, (manager, enrolment) =>
      auditWithinMutation(this.audit, manager, context, info, enrolment),
    );
  }

  @Mutation(() => Boolean, { description: 'Delete one enrolment; false if there was none.' })
  deleteBiometric(@Arg('kind', () => BiometricKind) kind: BiometricKind, @Ctx() context: GatewayContext): Promise<boolean> {
    return this.enrolments.remove(requireMember(context), kind);
  }

  @Mutation(() => AuthPayload, { description: 'Sign in with a face or voice sample. Throttled like password login; does not count as a step-up.' })
  loginWithBiometric(@Args() { identifier, kind, sample }: BiometricLoginArgs, @Ctx() context: GatewayContext): Promise<AuthPayload> {
    return signedIn(context, this.enrolments.login(identifier, kind, sample, context.clientAddress));
  }

  @FieldResolver(() => [BiometricEnrollment], { description: 'Enrolments (kind and time only).' })
  biometrics(@Parent() member: Member): Promise<BiometricEnrollment[]> {
    const owner = ownerOf(member);
    return owner ? this.enrolments.enrollmentsOf(owner) : Promise.resolve([]);
  }
}
