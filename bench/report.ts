import type { FixedRateResult } from './fixed-rate';
import type { Window } from './load';
import { median } from './median';
import type { EngineResult } from './results';
import { SERVER_NAMES } from './servers';
import type { TargetOutcome } from './targets';

const ENGINE_NAME = { sqlite: 'SQLite (embedded)', mariadb: 'MariaDB' } as const;

/** The run as Markdown tables (what README's bench section shows): per engine, every server on every page, then the ratios. */
export function formatResults(results: EngineResult[], heading: string): string {
  const lines: string[] = [heading, ''];
  for (const result of results) {
    lines.push(`**${ENGINE_NAME[result.engine]}**`, '');
    lines.push(
      '| page | server | req/s | p50 ms | p99 ms | CPU µs/req | SQL/req | peak RSS MB | body bytes |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const page of result.pages) {
      for (const name of SERVER_NAMES) {
        const s = page.servers[name];
        lines.push(
          `| ${name === 'T1' ? page.label : ''} | ${name} | ${s.rps.toFixed(0)} | ${ms(s.p50)} | ${ms(s.p99)} | ${s.cpuMicrosPerRequest.toFixed(0)} | ${s.sqlPerRequest.toFixed(1)} | ${s.peakRssMb.toFixed(0)} | ${s.bodyBytes} |`,
        );
      }
    }
    lines.push('');
    lines.push(
      '| page | gateway/T1 | gateway/T3 | fixed rate (½ T1) req/s | T1 p50/p99/max ms | gateway p50/p99/max ms | p99 gateway/T1 |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const page of result.pages) {
      const { rate, T1, gateway, p99Ratio } = page.fixedRate;
      // ≥: requests still unanswered when the run stopped waiting; their latency is a lower bound.
      const latency = (r: FixedRateResult) => `${r.unanswered > 0 ? '≥ ' : ''}${ms(r.p50)} / ${ms(r.p99)} / ${ms(r.max)}`;
      lines.push(
        `| ${page.label} | ${page.ratios.gatewayToT1.toFixed(2)} | ${page.ratios.gatewayToT3.toFixed(2)} | ${rate.toFixed(0)} | ${latency(T1)} | ${latency(gateway)} | ${p99Ratio.toFixed(2)} |`,
      );
    }
    lines.push('', `Peak RSS under load: ${SERVER_NAMES.map((name) => `${name} ${result.peakRssMb[name].toFixed(0)} MB`).join(', ')}.`);
    const steal = result.pages.map((page) => `${page.page} ${stealSummary(SERVER_NAMES.flatMap((name) => page.servers[name].rounds))}`);
    lines.push(`Steal on the servers' core in the closed-loop windows (median / max %): ${steal.join(', ')}.`, '');
  }
  return lines.join('\n');
}

export function formatTargets(outcomes: TargetOutcome[], problems: string[]): string {
  const lines = outcomes.map(
    (t) => `  ${t.ok ? 'ok    ' : 'MISSED'} ${ENGINE_NAME[t.engine]}: ${t.name} = ${t.measured === null ? '–' : t.measured.toFixed(3)} (target ${t.limit})`,
  );
  return [...(lines.length ? ['Targets:', ...lines] : []), ...problems.map((problem) => `  WRONG  ${problem}`)].join('\n');
}

/** Median and highest steal of some windows, e.g. "3 / 11"; "–" where none was read. */
function stealSummary(windows: Window[]): string {
  const values = windows.flatMap((window) => (window.stealPercent === undefined ? [] : [window.stealPercent]));
  if (values.length === 0) return '–';
  return `${median(values).toFixed(0)} / ${Math.max(...values).toFixed(0)}`;
}

const ms = (value: number) => (Number.isFinite(value) ? (value < 10 ? value.toFixed(1) : value.toFixed(0)) : '–');
