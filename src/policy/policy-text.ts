import { CATEGORY_LABEL, type DataCategory, SENSITIVE } from './data-category';
import { type Rule, ruleFor } from './policy-table';

/**
 * The sentence appended to a classified field's description, derived from the table so GraphiQL
 * users read the policy that actually runs, e.g. "Sensitive: government ID. Full value needs
 * consent REAL_NAME_AUTH and a sign-in within 5 minutes; otherwise masked. Reads are audited."
 */
export function policySentence(category: DataCategory, maxAuthAgeSeconds: number): string {
  const sensitive = SENSITIVE.has(category);
  const own = ruleFor('MEMBER', 'SELF', category, 'ADULT');
  const staff = ruleFor('SUPPORT', 'STAFF_WITH_PURPOSE', category, 'ADULT');
  const staffOfMinor = ruleFor('SUPPORT', 'STAFF_WITH_PURPOSE', category, 'MINOR');
  return [
    `${sensitive ? 'Sensitive' : 'Personal'}: ${CATEGORY_LABEL[category]}.`,
    ownClause(own, maxAuthAgeSeconds),
    `Staff with a stated purpose: ${accessWord(staff)}${staffOfMinor.access !== staff.access ? `; a minor's: ${accessWord(staffOfMinor)}` : ''}.`,
    sensitive ? 'Reads are audited.' : 'Staff reads are audited.',
  ].join(' ');
}

function accessWord(rule: Rule): string {
  return rule.access === 'FULL' ? 'full value' : rule.access === 'MASKED' ? 'masked' : 'withheld';
}

function ownClause(rule: Rule, maxAuthAgeSeconds: number): string {
  if (rule.access === 'DENIED') return 'Never readable, not even by the member.';
  const needs: string[] = [];
  if (rule.requires?.consent) needs.push(`consent ${rule.requires.consent}`);
  if (rule.requires?.recentAuth) needs.push(`a sign-in within ${duration(maxAuthAgeSeconds)}`);
  if (needs.length === 0) return 'Shown in full to the member.';
  return `Full value needs ${needs.join(' and ')}; otherwise ${rule.otherwise === 'MASKED' ? 'masked' : 'withheld'}.`;
}

function duration(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}` : `${seconds} seconds`;
}
