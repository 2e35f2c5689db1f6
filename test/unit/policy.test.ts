import { ConsentPurpose } from '../../src/consent/consent-purpose';
import { DataCategory } from '../../src/policy/data-category';
import { decide, type Facts } from '../../src/policy/decide';
import { mask } from '../../src/policy/mask';
import type { Relationship } from '../../src/policy/owner';
import { ageOn, isMinor, relationshipOf, type OwnerAge } from '../../src/policy/owner-facts';
import { POLICY, ruleFor, ruleRegardlessOfAge, type ViewerKind } from '../../src/policy/policy-table';
import { policySentence } from '../../src/policy/policy-text';

const VIEWERS: ViewerKind[] = ['ANONYMOUS', 'MEMBER', 'SUPPORT', 'VERIFIER', 'PRIVACY_OFFICER', 'LOGISTICS_PARTNER'];
const RELATIONSHIPS: Relationship[] = ['SELF', 'STAFF_WITH_PURPOSE', 'ASSIGNED_SHIPMENT', 'UNRELATED'];
const CATEGORIES = Object.values(DataCategory);
const AGES: OwnerAge[] = ['ADULT', 'MINOR'];
const ALL_FACTS: Facts = {
  consents: new Set(Object.values(ConsentPurpose)),
  authAgeSeconds: 0,
  maxAuthAgeSeconds: 300,
  statedPurpose: true,
  verificationPending: true,
};
const NO_FACTS: Facts = { consents: new Set(), maxAuthAgeSeconds: 300, statedPurpose: false, verificationPending: false };

describe('the decision table', () => {
  /** The policy as the issue states it: [owner age, viewer, relationship] → categories readable in full / masked with every fact in place. */
  const OWN = ['ACCOUNT', 'CONTACT', 'BROWSING', 'DEVICE', 'TRANSACTION', 'GOVERNMENT_ID', 'FINANCIAL', 'LOCATION', 'BIOMETRIC'] as DataCategory[];
  const EXPECTED: Record<string, { full: DataCategory[]; masked: DataCategory[] }> = {
    'ADULT MEMBER SELF': { full: OWN, masked: [] },
    'ADULT SUPPORT STAFF_WITH_PURPOSE': { full: [DataCategory.ACCOUNT], masked: ['CONTACT', 'TRANSACTION', 'GOVERNMENT_ID', 'FINANCIAL'] as DataCategory[] },
    'ADULT VERIFIER STAFF_WITH_PURPOSE': {
      full: [DataCategory.ACCOUNT, DataCategory.GOVERNMENT_ID],
      masked: ['CONTACT', 'TRANSACTION', 'FINANCIAL'] as DataCategory[],
    },
    'ADULT PRIVACY_OFFICER STAFF_WITH_PURPOSE': {
      full: [DataCategory.ACCOUNT],
      masked: ['CONTACT', 'TRANSACTION', 'GOVERNMENT_ID', 'FINANCIAL'] as DataCategory[],
    },
    'ADULT LOGISTICS_PARTNER ASSIGNED_SHIPMENT': { full: [DataCategory.TRANSACTION], masked: [] },
    // A minor sees their own data as an adult would.
    'MINOR MEMBER SELF': { full: OWN, masked: [] },
    // Support and privacy officers: a minor's data masked at most, the account name too.
    'MINOR SUPPORT STAFF_WITH_PURPOSE': { full: [], masked: ['ACCOUNT', 'CONTACT', 'TRANSACTION', 'GOVERNMENT_ID', 'FINANCIAL'] as DataCategory[] },
    // A verifier of a pending case still needs the full document.
    'MINOR VERIFIER STAFF_WITH_PURPOSE': { full: [DataCategory.GOVERNMENT_ID], masked: ['ACCOUNT', 'CONTACT', 'TRANSACTION', 'FINANCIAL'] as DataCategory[] },
    'MINOR PRIVACY_OFFICER STAFF_WITH_PURPOSE': { full: [], masked: ['ACCOUNT', 'CONTACT', 'TRANSACTION', 'GOVERNMENT_ID', 'FINANCIAL'] as DataCategory[] },
    // Delivery needs the real consignee whatever their age.
    'MINOR LOGISTICS_PARTNER ASSIGNED_SHIPMENT': { full: [DataCategory.TRANSACTION], masked: [] },
  };

  const cells = AGES.flatMap((age) =>
    VIEWERS.flatMap((viewer) => RELATIONSHIPS.flatMap((relationship) => CATEGORIES.map((category) => [age, viewer, relationship, category] as const))),
  );

  it.each(cells)('%s owner / %s / %s / %s: best case as the policy states, worst case never more', (age, viewer, relationship, category) => {
    const expected = EXPECTED[`${age} ${viewer} ${relationship}`] ?? { full: [], masked: [] };
    const best = decide(ruleFor(viewer, relationship, category, age), ALL_FACTS);
    const worst = decide(ruleFor(viewer, relationship, category, age), NO_FACTS);
    if (expected.full.includes(category)) expect(best.outcome).toBe('ALLOW');
    else if (expected.masked.includes(category)) expect(best.outcome).toBe('MASK');
    else expect(best).toEqual({ outcome: 'DENY', code: 'FORBIDDEN' });
    // Taking facts away never widens access.
    const rank = { ALLOW: 2, MASK: 1, DENY: 0 } as const;
    expect(rank[worst.outcome]).toBeLessThanOrEqual(rank[best.outcome]);
  });

  it('shows biometric enrolment data to the member alone, and only with consent BIOMETRIC and a recent sign-in', () => {
    for (const age of AGES)
      for (const viewer of VIEWERS)
        for (const relationship of RELATIONSHIPS) {
          if (viewer === 'MEMBER' && relationship === 'SELF') continue;
          expect(decide(ruleFor(viewer, relationship, DataCategory.BIOMETRIC, age), ALL_FACTS).outcome).toBe('DENY');
        }
    const own = ruleFor('MEMBER', 'SELF', DataCategory.BIOMETRIC, 'ADULT');
    expect(decide(own, { ...ALL_FACTS, consents: new Set([ConsentPurpose.MEMBERSHIP]) })).toEqual({
      outcome: 'DENY',
      code: 'CONSENT_REQUIRED',
      unlock: { requiredConsent: 'BIOMETRIC' },
    });
    expect(decide(own, { ...ALL_FACTS, authAgeSeconds: 301 })).toEqual({ outcome: 'DENY', code: 'STEP_UP_REQUIRED', unlock: { maxAuthAgeSeconds: 300 } });
  });

  it("never shows staff more of a minor's data than of an adult's", () => {
    const rank = { ALLOW: 2, MASK: 1, DENY: 0 } as const;
    for (const viewer of VIEWERS)
      for (const relationship of RELATIONSHIPS)
        for (const category of CATEGORIES) {
          if (viewer === 'MEMBER') continue;
          const minor = decide(ruleFor(viewer, relationship, category, 'MINOR'), ALL_FACTS);
          const adult = decide(ruleFor(viewer, relationship, category, 'ADULT'), ALL_FACTS);
          expect(rank[minor.outcome]).toBeLessThanOrEqual(rank[adult.outcome]);
        }
  });

  it('leaves the age class out only of cells where an adult and a minor get the same decision, whatever the facts', () => {
    const ageDecides: string[] = [];
    for (const viewer of VIEWERS)
      for (const relationship of RELATIONSHIPS)
        for (const category of CATEGORIES) {
          const rule = ruleRegardlessOfAge(viewer, relationship, category);
          const sameDecisions = [ALL_FACTS, NO_FACTS, { ...ALL_FACTS, authAgeSeconds: 301 }, { ...ALL_FACTS, verificationPending: false }].every(
            (facts) =>
              JSON.stringify(decide(ruleFor(viewer, relationship, category, 'ADULT'), facts)) ===
              JSON.stringify(decide(ruleFor(viewer, relationship, category, 'MINOR'), facts)),
          );
          if (rule) {
            expect(sameDecisions).toBe(true);
            expect(rule).toEqual(ruleFor(viewer, relationship, category, 'ADULT'));
          } else ageDecides.push(`${viewer} ${relationship} ${category}`);
        }
    // Where the age does decide: staff reading a member's account name (masked for a minor).
    expect(ageDecides).toEqual(['SUPPORT STAFF_WITH_PURPOSE ACCOUNT', 'VERIFIER STAFF_WITH_PURPOSE ACCOUNT', 'PRIVACY_OFFICER STAFF_WITH_PURPOSE ACCOUNT']);
  });

  it('denies a viewer kind or category the table does not know', () => {
    expect(ruleFor('ROOT' as ViewerKind, 'SELF', DataCategory.ACCOUNT, 'ADULT')).toEqual({ access: 'DENIED' });
    expect(ruleFor('MEMBER', 'SELF', 'SHOE_SIZE' as DataCategory, 'ADULT')).toEqual({ access: 'DENIED' });
    expect(ruleFor('MEMBER', 'NEIGHBOUR' as Relationship, DataCategory.ACCOUNT, 'ADULT')).toEqual({ access: 'DENIED' });
    expect(ruleFor('MEMBER', 'SELF', DataCategory.ACCOUNT, 'TODDLER' as OwnerAge)).toEqual({ access: 'DENIED' });
    expect(Object.keys(POLICY.ADULT.ANONYMOUS)).toEqual([]);
    expect(Object.keys(POLICY.MINOR.ANONYMOUS)).toEqual([]);
  });

  it('masks the ID number until the member steps up, and says so', () => {
    const rule = ruleFor('MEMBER', 'SELF', DataCategory.GOVERNMENT_ID, 'ADULT');
    expect(decide(rule, { ...ALL_FACTS, authAgeSeconds: 301 })).toEqual({ outcome: 'MASK', unlock: { maxAuthAgeSeconds: 300 } });
    expect(decide(rule, { ...ALL_FACTS, authAgeSeconds: undefined })).toEqual({ outcome: 'MASK', unlock: { maxAuthAgeSeconds: 300 } });
    expect(decide(rule, { ...ALL_FACTS, authAgeSeconds: 300 })).toEqual({ outcome: 'ALLOW' });
    expect(decide(rule, { ...ALL_FACTS, consents: new Set() })).toEqual({ outcome: 'MASK', unlock: { requiredConsent: 'REAL_NAME_AUTH' } });
  });

  it('withholds location without LOCATION consent, naming the consent', () => {
    expect(decide(ruleFor('MEMBER', 'SELF', DataCategory.LOCATION, 'ADULT'), { ...ALL_FACTS, consents: new Set([ConsentPurpose.MEMBERSHIP]) })).toEqual({
      outcome: 'DENY',
      code: 'CONSENT_REQUIRED',
      unlock: { requiredConsent: 'LOCATION' },
    });
  });

  it('describes a field with the policy that runs', () => {
    expect(policySentence(DataCategory.GOVERNMENT_ID, 300)).toBe(
      'Sensitive: government ID. Full value needs consent REAL_NAME_AUTH and a sign-in within 5 minutes; otherwise masked. Staff with a stated purpose: masked. Reads are audited.',
    );
    expect(policySentence(DataCategory.BIOMETRIC, 300)).toBe(
      'Sensitive: biometric. Full value needs consent BIOMETRIC and a sign-in within 5 minutes; otherwise withheld. Staff with a stated purpose: withheld. Reads are audited.',
    );
    expect(policySentence(DataCategory.CONTACT, 300)).toBe(
      'Personal: contact. Shown in full to the member. Staff with a stated purpose: masked. Staff reads are audited.',
    );
  });
});

describe('owner facts', () => {
  const today = new Date('2026-06-15T12:00:00Z');

  it('counts completed years, the birthday itself included', () => {
    expect(ageOn(today, '2012-06-15')).toBe(14);
    expect(ageOn(today, '2012-06-16')).toBe(13);
    expect(isMinor('2012-06-16', 14, today)).toBe(true);
    expect(isMinor('2012-06-15', 14, today)).toBe(false);
  });

  it('treats an unknown birth date as not a minor for reads', () => {
    expect(isMinor(null, 14, today)).toBe(false);
  });

  it('derives the relationship from the viewer, whatever the producer stated', () => {
    const member = { kind: 'MEMBER' as const, memberId: 'm1', authTime: 0, amr: ['pwd'] };
    expect(relationshipOf(member, { memberId: 'm1' })).toBe('SELF');
    expect(relationshipOf(member, { memberId: 'm1', purpose: 'TICKET-1' })).toBe('SELF');
    expect(relationshipOf(member, { memberId: 'm2', purpose: 'TICKET-1' })).toBe('UNRELATED');
    expect(relationshipOf({ kind: 'SUPPORT', subject: 's' }, { memberId: 'm1', purpose: 'TICKET-1' })).toBe('STAFF_WITH_PURPOSE');
    expect(relationshipOf({ kind: 'SUPPORT', subject: 's' }, { memberId: 'm1', purpose: '  ' })).toBe('UNRELATED');
    expect(relationshipOf({ kind: 'LOGISTICS_PARTNER', subject: 'p', partnerId: 'sf' }, { memberId: 'm1', partnerId: 'sf' })).toBe('ASSIGNED_SHIPMENT');
    expect(relationshipOf({ kind: 'LOGISTICS_PARTNER', subject: 'p', partnerId: 'sf' }, { memberId: 'm1', partnerId: 'jd', purpose: 'delivery' })).toBe(
      'UNRELATED',
    );
    expect(relationshipOf({ kind: 'LOGISTICS_PARTNER', subject: 'p' }, { memberId: 'm1' })).toBe('UNRELATED');
    expect(relationshipOf({ kind: 'ANONYMOUS' }, { memberId: 'm1', purpose: 'x' })).toBe('UNRELATED');
  });
});

describe('masking', () => {
  it.each([
    ['phone', '+8613812345678', '138****5678'],
    ['phone', '+14155552671', '+1 ******2671'],
    ['phone', '+6834002', '+683 ***2'.replace('***2', '**02')],
    ['address', 'Flat 3, 12 High Street, Camden, London', '***'],
    ['address', 'No. 1 Nanjing Road Huangpu District Shanghai', '***, No. 1 Nanjing Road Huangpu District Shanghai'.replace('No. 1 Nanjing Road ', '')],
    ['idNumber', '44030519900101123X', '4403**********123X'],
    ['name', '张三', '张*'],
    ['name', 'John Doe', 'J*** D**'],
    ['card', '6222021234567890123', '**** **** **** 0123'],
    ['address', '广东省深圳市南山区科技园路1号', '广东省深圳市南山区***'],
    ['address', 'No. 1 Nanjing Road, Huangpu District, Shanghai', '***, Huangpu District, Shanghai'],
    ['ip', '203.0.113.7', '203.0.113.0/24'],
    ['ip', '2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3::/48'],
    ['coordinates', '22.543096,114.057865', '22.54,114.06'],
    ['date', '1990-05-17', '1990-**-**'],
  ] as const)('masks %s %s as %s', (kind, value, expected) => {
    expect(mask(kind, value)).toBe(expected);
  });

  it('never returns a value it cannot mask', () => {
    expect(mask('phone', 12345 as unknown as string)).toBeNull();
    expect(mask('name', null)).toBeNull();
  });
});
