/**
 * Endpoint risk, an assumption: Tanium does not publish its formula. Each open CVE finding adds its CVSS
 * score squared over ten, tripled for CISA KEV entries and raised with its EPSS score; the sum is scaled by
 * the endpoint's criticality multiplier (Low 1, Medium 1.33, High 1.67, Critical 2, as Tanium's
 * "Endpoint Criticality with Level" documents) and squashed into 1-1000.
 */
import type { CveRecord } from './catalogue/cves.js';
import type { RiskLevel } from './types.js';

export const CRITICALITY_MULTIPLIER: Readonly<Record<RiskLevel, number>> = {
  Low: 1,
  Medium: 1.33,
  High: 1.67,
  Critical: 2,
};

export function findingWeight(cve: CveRecord): number {
  const score = cve.cvssScoreV3 ?? cve.cvssScore ?? 5;
  return ((score * score) / 10) * (cve.isCisaKev ? 3 : 1) * (1 + 4 * cve.epssScore);
}

export function totalScore(weightSum: number, criticality: RiskLevel): number {
  const scaled = 1000 * (1 - Math.exp((-weightSum * CRITICALITY_MULTIPLIER[criticality]) / 400));
  return Math.max(1, Math.min(1000, Math.round(scaled)));
}

/** Bands: 1-249 Low, 250-499 Medium, 500-749 High, 750-1000 Critical. */
export function riskLevel(score: number): RiskLevel {
  if (score < 250) return 'Low';
  if (score < 500) return 'Medium';
  if (score < 750) return 'High';
  return 'Critical';
}
