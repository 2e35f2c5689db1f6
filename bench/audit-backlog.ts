/**
 * Waits until the gateway has chained every audit entry written so far (its
 * `gateway_audit_unsequenced` gauge reads 0). Seeding writes a few thousand entries, which the
 * sequencer takes only once they are older than its settle margin (about 20 s by default): left
 * alone, that backlog was chained during the first page's windows and counted as that page's cost.
 */
export async function waitForAuditBacklog(graphqlUrl: string, timeoutMs = 120_000): Promise<void> {
  const metricsUrl = new URL('/metrics', graphqlUrl);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(metricsUrl);
    if (!response.ok) throw new Error(`GET /metrics answered ${response.status}: the bench needs the gateway's metrics (METRICS_ENABLED, no METRICS_TOKEN)`);
    const backlog = /^gateway_audit_unsequenced (\S+)$/m.exec(await response.text())?.[1];
    if (backlog === undefined) throw new Error('the gateway reported no gateway_audit_unsequenced gauge');
    if (Number(backlog) === 0) return;
    if (Date.now() > deadline) throw new Error(`${backlog} audit entries still unsequenced after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
