/** What a Connect connection is (Connect's API description); shared by the Connect route files. */
export const DESTINATIONS = [
  'elasticsearch',
  'email',
  'file',
  'arcsight',
  'qradar',
  'logrhythm',
  'mcafee',
  'socket',
  'splunk',
  'sqlserver',
  'http',
] as const;

export interface Connection {
  id: number;
  name: string;
  userId: number;
  personaId: number;
  description: string;
  enabled: boolean;
  minimumPassPercentage: number;
  logLevel: number;
  tempLogLevel: number;
  tempLogLevelRuns: number;
  destinationType: (typeof DESTINATIONS)[number];
  schedule: string;
  scheduleTimeZone: string;
  maxOldSpaceSize: number;
  streams: string[];
  createdAt: string;
  updatedAt: string;
}
