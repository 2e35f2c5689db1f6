// Generated from schema.graphql by `npm run schema`: every field the gateway classifies, by type.
// The example clients give these fields view-aware cache policies (privacy-type-policies.ts).
export const CLASSIFIED_FIELDS: Record<string, readonly string[]> = {
  "AuditEntry": [
    "actorId",
    "actorKind",
    "at",
    "category",
    "field",
    "outcome",
    "purpose"
  ],
  "AutomatedDecision": [
    "decidedAt",
    "factors",
    "outcome"
  ],
  "BiometricEnrollment": [
    "enrolledAt",
    "kind"
  ],
  "BrowsingEvent": [
    "kind",
    "occurredAt",
    "productId",
    "query",
    "url"
  ],
  "Consent": [
    "changedAt",
    "channel",
    "granted",
    "method"
  ],
  "Device": [
    "deviceIdentifier",
    "ipAddress",
    "lastLocation",
    "lastSeenAt",
    "model",
    "osVersion"
  ],
  "Disclosure": [
    "categories",
    "disclosedAt",
    "legalBasis",
    "purpose",
    "recipient"
  ],
  "Member": [
    "birthDate",
    "contactAddress",
    "contactName",
    "createdAt",
    "isMinor",
    "memberName",
    "mustAcceptPolicyVersion",
    "phone"
  ],
  "Order": [
    "consignee",
    "consigneePhone",
    "deliveryAddress",
    "number",
    "placedAt",
    "total"
  ],
  "OrderItem": [
    "name",
    "productId",
    "quantity",
    "spec",
    "unitPrice"
  ],
  "PaymentSummary": [
    "accountName",
    "cardNumber",
    "method"
  ],
  "PrivacyRequest": [
    "details",
    "extensionReason"
  ],
  "RealNameIdentity": [
    "documentNumber",
    "documentType",
    "legalName",
    "rejectionReason"
  ],
  "Shipment": [
    "consigneeName",
    "consigneePhone",
    "deliveryAddress",
    "orderNumber",
    "trackingNumber"
  ],
  "ShipmentInfo": [
    "carrier",
    "shippedAt",
    "trackingNumber"
  ],
  "Verification": [
    "reason"
  ]
};
