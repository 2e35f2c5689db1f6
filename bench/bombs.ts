/**
 * The hostile operations of issue 10, as an attacker would send them. Shared by the hostile-client
 * suite (test/api/hostile) and `bench/hostile.ts`, which measures time and memory per bomb.
 */
const times = (n: number, part: (i: number) => string, separator = ' ') => Array.from({ length: n }, (_, i) => part(i)).join(separator);

/** No token: 2800 aliases of privacyPolicies, each spreading 300 aliased `text` (about 80 KB). */
export const fragmentBomb = () => `{ ${times(2800, (i) => `p${i}:privacyPolicies{...P}`)} } fragment P on PrivacyPolicy { ${times(300, (i) => `t${i}:text`)} }`;

/** Any member: 20 aliases × orders(first: 100) × 60 aliased items × 60 aliased name (about 3 KB). */
export const ordersBomb = () =>
  `{ me { ${times(20, (i) => `o${i}:orders(first:100){edges{node{...N}}}`)} } } ` +
  `fragment N on Order { ${times(60, (i) => `i${i}:items{...I}`)} } fragment I on OrderItem { ${times(60, (i) => `n${i}:name`)} }`;

/** 3000 aliases of me { phone }. */
export const meBomb = () => `{ ${times(3000, (i) => `m${i}:me{phone}`)} }`;

/** 1000 aliases of recommendations(first: 50). */
export const recommendationsBomb = () => `{ ${times(1000, (i) => `r${i}:recommendations(first:50){id score}`)} }`;

/** 20 aliased stepUp: one scrypt hash each. */
export const stepUpBomb = () => `mutation($p: String!) { ${times(20, (i) => `s${i}:stepUp(password:$p){expiresIn}`)} }`;

/** 200 aliased placeOrder. */
export const placeOrderBomb = () => `mutation($input: PlaceOrderInput!) { ${times(200, (i) => `o${i}:placeOrder(input:$input){id}`)} }`;
