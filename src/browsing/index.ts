// Storefront events, the devices they came from (positions only with LOCATION consent), and
// recommendations: personalised only with PERSONALIZATION consent, each such result recorded as
// an automated decision with its factors. Clearing history deletes rows, never flags them.
export { BrowsingService } from './browsing.service';
export { RecommendationService } from './recommendation.service';
export { BrowsingResolver, BrowsingEventResolver } from './browsing.resolver';
