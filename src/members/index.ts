// Members' accounts and profiles: registration, lookups by name or phone through blind indexes,
// corrections. Personal columns are sealed with the member's own key on the way in and opened on
// the way out; the entity never reaches GraphQL, only the `Member` type does.
export { MemberService } from './member.service';
export { MemberResolver } from './member.resolver';
export { Member } from './member.types';
