import { createCoverageMap, type CoverageMapData } from 'istanbul-lib-coverage';

/** The four figures FDK checks and Marketplace review reads. */
export const METRICS = ['statements', 'branches', 'functions', 'lines'] as const;

export type Metric = (typeof METRICS)[number];
export type CoverageFigures = Record<Metric, number>;

/** The four percentages of an istanbul coverage-final.json, as istanbul computes them. */
export function coverageFigures(data: CoverageMapData): CoverageFigures {
  const summary = createCoverageMap(data).getCoverageSummary();
  return { statements: summary.statements.pct, branches: summary.branches.pct, functions: summary.functions.pct, lines: summary.lines.pct };
}

export function formatFigures(figures: CoverageFigures): string {
  return METRICS.map((metric) => `${metric} ${figures[metric]}%`).join(', ');
}
