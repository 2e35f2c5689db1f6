import { Arg, Args, Ctx, Mutation, Resolver } from 'type-graphql';
import type { GatewayContext } from '../context';
import { AuthPayload } from './auth-payload.types';
import { AuthService } from './auth.service';
import { ChangePasswordArgs } from './change-password.args';
import { LoginArgs } from './login.args';
import { requireMember } from './require-member';
import { signedIn } from './signed-in';

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Mutation(() => AuthPayload, { description: 'Sign in with member name or phone, and password. Throttled after repeated failures.' })
  login(@Args() { identifier, password }: LoginArgs, @Ctx() context: GatewayContext): Promise<AuthPayload> {
    return signedIn(context, this.auth.login(identifier, password, context.clientAddress));
  }

  @Mutation(() => AuthPayload, { description: 'Exchange a refresh token for new tokens. Each refresh token works once; reusing one ends its session.' })
  refreshToken(@Arg('refreshToken') refreshToken: string, @Ctx() context: GatewayContext): Promise<AuthPayload> {
    return signedIn(context, this.auth.refresh(refreshToken));
  }

  @Mutation(() => AuthPayload, { description: 'Confirm the password again to get a token with a fresh auth_time, needed for sensitive reads and edits.' })
  stepUp(@Arg('password') password: string, @Ctx() context: GatewayContext): Promise<AuthPayload> {
    return signedIn(context, this.auth.stepUp(requireMember(context), password, context.clientAddress));
  }

  @Mutation(() => Boolean, { description: 'End the session the refresh token belongs to. False if it was unknown.' })
  logout(@Arg('refreshToken') refreshToken: string, @Ctx() context: GatewayContext): Promise<boolean> {
    return this.auth.logout(context.viewer.kind === 'MEMBER' ? context.viewer : undefined, refreshToken);
  }

  @Mutation(() => Boolean, { description: 'Change the password; every session of the member ends.' })
  changePassword(@Args() { currentPassword, newPassword }: ChangePasswordArgs, @Ctx() context: GatewayContext): Promise<boolean> {
    return this.auth.changePassword(requireMember(context), currentPassword, newPassword, context.clientAddress);
  }
}
