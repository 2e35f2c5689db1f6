import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver } from 'type-graphql';
import { Parent } from '../common/parent.decorator';
import { ListPageArgs } from '../common/list-page.args';
import { requireStaff } from '../auth/require-staff';
import { StaffOnly } from '../auth/staff-only.decorator';
import type { GatewayContext } from '../context';
import { Member } from '../members/member.types';
import { ownerOf } from '../policy/owner';
import { IncidentService } from './incident.service';
import { Incident, IncidentInput, Notification } from './incident.types';

@Resolver(() => Member)
export class IncidentResolver {
  constructor(private readonly incidents: IncidentService) {}

  @Mutation(() => Incident, { description: 'PRIVACY_OFFICER only: record a breach; every affected member is notified.' })
  @StaffOnly('PRIVACY_OFFICER')
  recordIncident(@Arg('input') input: IncidentInput, @Ctx() context: GatewayContext): Promise<Incident> {
    return this.incidents.record(requireStaff(context, ['PRIVACY_OFFICER']).subject, input);
  }

  @FieldResolver(() => [Notification], { description: "Messages to the member, newest first, a page at a time. The member's own only." })
  notifications(@Parent() member: Member, @Args() page: ListPageArgs, @Ctx() context: GatewayContext): Promise<Notification[]> {
    const owner = ownerOf(member);
    const self = owner !== undefined && context.privacy.relationshipTo(owner) === 'SELF';
    return self ? this.incidents.notificationsOf(member.id, page) : Promise.resolve([]);
  }
}
