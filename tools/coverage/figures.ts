import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCoverageMap, type CoverageMapData } from 'istanbul-lib-coverage';

/** Where `fdk-unit-test` (vitest's V8 coverage, "json" reporter; vitest.config.js) writes the unit-test coverage fdk pack reads. */
export const UNIT_COVERAGE_FILE = 'coverage/unit/coverage-final.json';
/**
 * FDK v10.1.9's `fdk pack`: at least 80% unit-test coverage on each of the four figures
 * (Freshworks, App SDK v3.0 "What's new", August 2026; docs/platform-contract.md).
 */
export const UNIT_COVERAGE_MINIMUM = 80;

/** The four figures FDK checks and Marketplace review reads. */
export const METRICS = ['statements', 'branches', 'functions', 'lines'] as const;

export type Metric = (typeof METRICS)[number];
export type CoverageFigures = Record<Metric, number>;

/** The four percentages of an istanbul coverage-final.json, as istanbul computes them. */
export function coverageFigures(data: CoverageMapData): CoverageFigures {
  const summary = createCoverageMap(data).getCoverageSummary();
  return { statements: summary.statements.pct, branches: summary.branches.pct, functions: summary.functions.pct, lines: summary.lines.pct };
}

/** A coverage-final.json under root, keyed by the absolute path of each file measured. */
export function readCoverageData(root: string, file: string): CoverageMapData {
  return JSON.parse(readFileSync(join(root, file), 'utf8')) as CoverageMapData;
}

export function formatFigures(figures: CoverageFigures): string {
  return METRICS.map((metric) => `${metric} ${figures[metric]}%`).join(', ');
}
