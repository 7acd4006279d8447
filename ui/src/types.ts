/** Shapes of the /v1 answers the pages read (the OpenAPI document at /v1/openapi.json is the reference). */

export interface Rotation {
  phase: string;
  tokenId: number | null;
  expiresAt: string | null;
  daysLeft: number | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastOutcome: string | null;
  lastError: string | null;
  problem: { code?: string; message: string; fix?: string } | null;
  next: unknown;
}

export interface Connection {
  name: string;
  kind: 'domain' | 'server';
  domain: string | null;
  url: string;
  token: { masked: string | null; error: string | null };
  rotation: Rotation;
  lastSync: { id?: number; status?: string; finishedAt?: string | null; startedAt?: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface StreamCounts {
  added: number;
  updated: number;
  removed: number;
  rows: number;
}

export interface SyncRun {
  id: number;
  mode: string;
  streams: string[];
  status: string;
  startedAt: string;
  finishedAt: string | null;
  summary: { streams: Record<string, StreamCounts>; endpoints: number; pages: number } | null;
  error: { message: string } | string | null;
}

export interface CheckResult {
  ok: boolean;
  message: string;
  diagnosis?: { code: string; message: string; fix: string };
  modules?: { key: string; name: string; ok: boolean; permission: string }[];
}

export const STREAMS = ['assets', 'vulnerabilities', 'compliance', 'sensors'] as const;
export type Stream = (typeof STREAMS)[number];

export const MODULES = [
  'platform',
  'asset',
  'comply',
  'connect',
  'deploy',
  'enforce',
  'integrity-monitor',
  'patch',
  'reputation',
  'threat-response',
] as const;
