/**
 * Facts from Tanium's published Gateway schema (the public copy of its SDL, read field by field): for
 * each type the emulator defines, its kind, and each field's type (`!` non-null, `[…]` lists), its
 * arguments with their defaults (in name order) and whether it is deprecated (`@deprecated`). Written
 * by hand from the reference: a list of names and types, not a copy of the file (no descriptions).
 *
 * A field line: `name(arg: Type = default, …): Type` or `name: Type`, `@deprecated` when it is.
 */
export type Kind = 'OBJECT' | 'INPUT_OBJECT' | 'ENUM' | 'INTERFACE' | 'UNION' | 'SCALAR';

export interface TypeFacts {
  kind: Kind;
  implements?: string[];
  /** field name to its signature (`(args): Type` or `Type`, `@deprecated` suffix) */
  fields?: Record<string, string>;
  values?: string[];
  members?: string[];
}

function fields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(';')) {
    const line = raw.trim().replace(/\s+/g, ' ');
    if (!line) continue;
    const name = /^[A-Za-z_]\w*/.exec(line)?.[0];
    if (!name) throw new Error(`bad reference line: ${line}`);
    const rest = line.slice(name.length).trim();
    out[name] = rest.startsWith(':') ? rest.slice(1).trim() : rest;
  }
  return out;
}
const obj = (text: string, ...implementing: string[]): TypeFacts => ({
  kind: 'OBJECT',
  fields: fields(text),
  ...(implementing.length ? { implements: implementing } : {}),
});
const iface = (text: string): TypeFacts => ({ kind: 'INTERFACE', fields: fields(text) });
const input = (text: string): TypeFacts => ({ kind: 'INPUT_OBJECT', fields: fields(text) });
const enumOf = (text: string): TypeFacts => ({ kind: 'ENUM', values: text.trim().split(/\s+/) });
const scalar: TypeFacts = { kind: 'SCALAR' };
const conn = (edge: string, total = 'totalRecords', items = `[${edge}!]!`) =>
  obj(`edges: ${items}; pageInfo: PageInfo!; ${total}: Int!`, 'Connection');
const edge = (node: string) => obj(`cursor: Cursor!; node: ${node}!`, 'Edge');
const page = 'after: Cursor, before: Cursor';

export const TANIUM_GATEWAY: Readonly<Record<string, TypeFacts>> = {
  // Scalars and shared types
  Time: scalar,
  Date: scalar,
  Cursor: scalar,
  Map: scalar,
  Any: scalar,
  CronExpression: scalar,
  Connection: iface('edges: [Edge]!; pageInfo: PageInfo!'),
  Edge: iface('cursor: Cursor!'),
  PageInfo: obj('endCursor: Cursor; hasNextPage: Boolean!; hasPreviousPage: Boolean!; startCursor: Cursor'),
  SystemError: obj('message: String; retryable: Boolean; timedOut: Boolean'),
  NamedRef: obj('id: ID; name: String'),
  NamedRefInput: input('id: ID; name: String'),
  IdRef: obj('id: ID!'),
  IdRefInput: input('id: ID!'),
  IDRevisionRefInput: input('id: ID!; revision: Int'),
  Principal: obj('persona: NamedRef; user: NamedRef!'),
  Metadata: obj('adminFlag: Boolean!; name: String!; value: String!'),
  MetadataInput: input('name: String!; value: String!'),
  MonotonicDuration: obj('nanoseconds: Int!; seconds: Int!'),
  MonotonicDurationInput: input('nanoseconds: Int; seconds: Int!'),
  SortOrder: enumOf('asc desc'),
  DayOfWeek: enumOf('FRIDAY MONDAY SATURDAY SUNDAY THURSDAY TUESDAY WEDNESDAY'),
  TaniumPlatformContentSet: obj('description: String; id: ID!; name: String!'),
  TaniumPlatformUser: obj('displayName: String; id: ID!; username: String'),
  TaniumPlatformUserPersona: obj('id: ID!; name: String'),
  TaniumPlatformUserContext: obj('persona: TaniumPlatformUserPersona; user: TaniumPlatformUser!'),
  FieldFilterOp: enumOf('CONTAINS ENDS_WITH EQ GT GTE LT LTE MATCHES READ_AFTER STARTS_WITH UPDATED_AFTER'),
  FieldFilter: input(`any: Boolean! = false; filters: [FieldFilter!]; negated: Boolean! = false;
    op: FieldFilterOp! = EQ; path: String; restrictOwner: Boolean! = true; value: String`),

  // Tokens
  APIToken:
    obj(`created: Time!; expiration: Time!; id: ID!; lastUsed: Time!; notes: String!; persona: Persona;
    tokenString: String; trustedIPAddresses: [String!]!`),
  Persona: obj('name: String!'),
  APITokenGrantInput: input(
    'expiresInDays: Int; notes: String; personaName: String; trustedIPAddresses: [String!]!',
  ),
  APITokenGrantPayload: obj('error: SystemError; token: APIToken'),
  APITokenQueryPayload: obj('error: SystemError; tokens: [APIToken!]'),
  APITokenRevokeInput: input('id: ID!'),
  APITokenRevokePayload: obj('error: SystemError'),
  APITokenRotateInput: input('tokenString: String!'),
  APITokenRotatePayload: obj('error: SystemError; token: APIToken'),

  // Endpoints
  EndpointPlatform: enumOf('AIX Linux Mac Solaris Unknown Windows'),
  Asset:
    iface(`configurationItem: ConfigurationItem @deprecated; id: ID!; manufacturer: String!; model: String!;
    name: String!; serialNumber: String!`),
  ConfigurationItem: obj('entityClassIDs: [ID!]!; entityID: ID!; namespace: String!'),
  Endpoint: obj(
    `chassisType: String!; compliance: EndpointCompliance; computerID: String!;
    configurationItem: ConfigurationItem @deprecated;
    deployedSoftwarePackages(filter: FieldFilter): [EndpointDeploySoftwarePackage!]!; discover: EndpointDiscover;
    diskSpace: DiskSpace! @deprecated; disks: [EndpointDisk!]; domainName: String!; eidFirstSeen: Time;
    eidLastSeen: Time; entityProviderName: String; entityProviderType: String; entityType: String;
    eventCounts: EndpointEventCounts!; id: ID!;
    installedApplications(filter: FieldFilter): [EndpointInstalledApplication!]!; ipAddress: String!;
    ipAddresses: [String!]; isEncrypted: Boolean; isEndpoint: Boolean; isVirtual: Boolean; lastLoggedInUser: String!;
    macAddresses: [String!]; manufacturer: String!; memory: Memory!; model: String!; name: String!;
    namespace: String!; networking: Networking!; os: EndpointOS!; primaryUser: EndpointUser!; processor: Processor!;
    sensorReading(sensor: EndpointSensorRef!): EndpointSensorReading;
    sensorReadings(includeHiddenColumns: Boolean! = false, sensors: [EndpointSensorRef!]!): EndpointSensorReadings!;
    sentinel: EndpointSentinel!; serialNumber: String!; services: [EndpointService!]!;
    software: [EndpointSoftwarePackage!]! @deprecated; systemUUID: String!`,
    'Asset',
  ),
  EndpointWindowsOS: obj('majorVersion: String!; releaseId: String!; type: String!'),
  EndpointOS: obj(
    'generation: String!; language: String!; name: String!; platform: EndpointPlatform!; windows: EndpointWindowsOS',
  ),
  EndpointUser: obj(
    'city: String!; country: String!; department: String!; email: String!; name: String!; phoneNumber: String!',
  ),
  Memory: obj('ram: String!; total: String!; used: String! @deprecated; usedPercentage: String! @deprecated'),
  Processor:
    obj(`architecture: String!; cacheSize: String!; consumption: String!; cpu: String!; family: String!;
    highConsumption: String!; logicalProcessors: Int!; manufacturer: String!; revision: String!; speed: String!`),
  EndpointDisk: obj('free: String; name: String!; total: String; usedPercentage: String; usedSpace: String'),
  DiskSpace: obj('free: String!; total: String!; usedPercentage: String!; usedSpace: String!'),
  NetworkAdapter: obj(`connectionId: String!; macAddress: String!; manufacturer: String!; name: String!;
    speed: String!; type: String!`),
  ConnectedState: enumOf('CONNECTED DISCONNECTED UNKNOWN'),
  WirelessAdapter: obj(`authentication: String! @deprecated; macAddress: String! @deprecated;
    networkType: String! @deprecated; radio: String! @deprecated; ssid: String!; state: ConnectedState!`),
  Networking: obj('adapters: [NetworkAdapter]!; dnsServers: [String]!; wirelessAdapters: [WirelessAdapter]!'),
  EndpointServiceStartupMode: enumOf('AUTO BOOT DISABLED MANUAL ON_DEMAND SYSTEM'),
  EndpointServiceStatus: enumOf(
    'CONTINUE_PENDING PAUSED PAUSE_PENDING RUNNING START_PENDING STOPPED STOP_PENDING',
  ),
  EndpointService: obj(`displayName: String!; name: String!; startupMode: EndpointServiceStartupMode;
    status: EndpointServiceStatus`),
  EndpointInstalledApplication: obj(
    'name: String!; silentUninstallString: String!; uninstallable: Boolean; version: String!',
  ),
  EndpointDeploySoftwarePackage: obj(`applicability: String!; gallery: String!; id: ID!; name: String!;
    vendor: String!; version: String!`),
  EndpointSoftwarePackageVersion: obj('removable: Boolean!; softwarePackageID: ID; version: String!'),
  EndpointSoftwarePackage: obj(`installableVersions: [EndpointSoftwarePackageVersion!];
    installedVersions: [EndpointSoftwarePackageVersion!]; name: String!;
    updateToVersions: [EndpointSoftwarePackageVersion!]`),
  EndpointDiscover: obj(
    'discoverMethod: String; discoverProfile: String; natIpAddress: String; openPorts: [Int!]',
  ),
  EndpointEventCounts: obj('all: Int!; appCrash: Int!; cpu: Int!; disk: Int!; memory: Int!; network: Int!'),
  EndpointSentinelSCCMClient: obj('health: String; reason: String'),
  EndpointSentinelWindowsDefender: obj(`antiSpywareEnabled: String; antivirusEnabled: String;
    antivirusSignatureUpdateAge: String; clientVersion: String; healthy: String; installed: String;
    processEnabled: String; processStartType: String; quickScanAge: String`),
  EndpointSentinel: obj(
    'sccmClient: EndpointSentinelSCCMClient!; windowsDefender: EndpointSentinelWindowsDefender!',
  ),
  EndpointComplianceCveFindingCWE: obj('id: String; name: String'),
  EndpointComplianceCveFindingMitreAttack: obj('id: String; name: String'),
  EndpointComplianceCveFinding: obj(`absoluteFirstFoundDate: Date; affectedProducts: [String!]; alias: String;
    cisaDateAdded: Date; cisaDueDate: Date; cisaNotes: String; cisaProduct: String; cisaRequiredAction: String;
    cisaShortDescription: String; cisaVendor: String; cisaVulnerabilityName: String; cpes: [String!];
    createdDate: Date; cveId: String; cveYear: String; cvssScore: Float; cvssScoreV3: Float; cvssScoreV4: Float;
    cvssSeverityV4: String; cvssTemporalScoreV3: Float; cvssThreatScoreV4: Float; cvssVectorV4: String;
    cwes: [EndpointComplianceCveFindingCWE!]; detectedCPEs: [String!]; detectedProducts: [String!];
    epssPercentile: Float; epssPercentileRange: String; epssScore: Float; excepted: Boolean; firstFound: Date;
    isCisaKev: Boolean; lastFound: Date; lastScanDate: Date @deprecated; maxMaturity: String;
    mitreAttacks: [EndpointComplianceCveFindingMitreAttack!]; mitreLink: String; modifiedDate: Date;
    nistLink: String; remediation: String; scanType: String; secpodLink: String; severity: String;
    severityV3: String; solutionLinks: [String!]; summary: String`),
  EndpointComplianceComplianceFinding:
    obj(`category: String; excepted: Boolean; firstFoundDate: Date; id: String;
    lastScanDate: Date; profile: String; profileVersion: String; rule: String; ruleId: String; standard: String;
    standardVersion: String; state: String`),
  EndpointCompliance: obj(`complianceFindings(filter: FieldFilter): [EndpointComplianceComplianceFinding!];
    cveFindings(filter: FieldFilter): [EndpointComplianceCveFinding!]`),
  SensorValueFilterOp: enumOf('CONTAINS ENDS_WITH EQ GT GTE LT LTE MATCHES STARTS_WITH'),
  SensorValueFilter: input(`any: Boolean! = false; column: String; filters: [SensorValueFilter!];
    negated: Boolean! = false; op: SensorValueFilterOp! = EQ; restrictOwner: Boolean! = true; value: String`),
  EndpointSensorRefParam: input('name: String!; value: String!'),
  EndpointSensorRef: input(`columns: [String!]; filter: SensorValueFilter; maxAge: Int; name: String!;
    params: [EndpointSensorRefParam!]`),
  EndpointSensorReadingRefParam: obj('name: String!; value: String!'),
  EndpointSensorReadingRef: obj('name: String!; params: [EndpointSensorReadingRefParam!]'),
  EndpointSensorReadingColumn: obj('name: String!; sensor: EndpointSensorReadingRef!; values: [String!]!'),
  EndpointSensorReadings: obj('columns: [EndpointSensorReadingColumn!]!'),
  EndpointSensorReading: obj('floatValues: [Float]; values: [String!]!'),
  EndpointFieldFilterSensorParam: input('name: String!; value: String!'),
  EndpointFieldFilterSensor: input('column: String; name: String; params: [EndpointFieldFilterSensorParam!]'),
  EndpointFieldFilterComputerGroup: input('id: ID; name: String'),
  EndpointFieldFilter: input(`any: Boolean! = false; filters: [EndpointFieldFilter!]; maxAge: Int;
    memberOf: EndpointFieldFilterComputerGroup; negated: Boolean! = false; op: FieldFilterOp! = EQ; path: String;
    sensor: EndpointFieldFilterSensor; value: String`),
  EndpointFieldSortSensor: input('column: String; name: String!; params: [EndpointFieldFilterSensorParam!]'),
  EndpointFieldSort: input('order: SortOrder! = asc; path: String; sensor: EndpointFieldSortSensor'),
  EndpointScope: enumOf('ALL_TS_SOURCED_ENTITIES TANIUM_CLIENTS'),
  EndpointSourceTDS: input(`allNamespaces: Boolean! = false; excludeErrors: Boolean! = false;
    excludeNoResults: Boolean! = false; namespaces: [String!]; scope: EndpointScope`),
  EndpointSourceTS:
    input(`excludeErrors: Boolean! = false; excludeNoResults: Boolean! = false; expectedCount: Int;
    maxAge: Int; maxWaitTime: Int! = 30; minPercentage: Float; scope: EndpointScope! = TANIUM_CLIENTS;
    stableWaitTime: Int`),
  EndpointSource: input('tds: EndpointSourceTDS; ts: EndpointSourceTS'),
  EndpointEdge: edge('Endpoint'),
  EndpointQuestion: obj('consoleURL: String; id: ID!'),
  EndpointCollectionInfo: obj(`active: Boolean!; contributedTotal: Int!; expectedTotal: Int;
    question: EndpointQuestion; respondedPercentage: Float; respondedTotal: Int; startCursor: Cursor;
    success: Boolean!`),
  EndpointConnection: obj(
    'collectionInfo: EndpointCollectionInfo!; edges: [EndpointEdge!]!; pageInfo: PageInfo!; totalRecords: Int!',
    'Connection',
  ),
  EndpointIdChange: obj('newId: ID!; oldId: ID!'),
  EndpointIdChangesPayload: obj('before: Time!; changes: [EndpointIdChange!]!'),

  // Computer groups
  ComputerGroupType: enumOf('MANUAL STANDARD'),
  ComputerGroup: obj(`contentSet: NamedRef; contentSetV2: TaniumPlatformContentSet; expression: String!;
    filterEnabled: Boolean!; id: ID!; managementRightsEnabled: Boolean!; modifiedTime: Time; name: String!;
    type: ComputerGroupType!`),
  ComputerGroupEdge: edge('ComputerGroup'),
  ComputerGroupConnection: conn('ComputerGroupEdge'),
  ComputerGroupsFilter: input(`filterEnabled: Boolean; managementRightsEnabled: Boolean; name: String;
    nameOp: FieldFilterOp = EQ; type: ComputerGroupType`),
  ComputerGroupFilter: input(`any: Boolean! = false; filters: [ComputerGroupFilter!];
    memberOf: EndpointFieldFilterComputerGroup; negated: Boolean! = false; op: FieldFilterOp! = EQ;
    sensor: EndpointFieldFilterSensor; value: String`),
  ComputerGroupCreateInput: input(`contentSetRef: NamedRefInput; filter: ComputerGroupFilter!;
    managementRightsEnabled: Boolean!; name: String!`),
  ComputerGroupCreatePayload: obj('error: SystemError; group: ComputerGroup'),
  ComputerGroupDeletePayload: obj('error: SystemError; id: ID'),

  // Sensors
  SensorColumn: obj('hidden: Boolean!; ignoreCase: Boolean!; name: String!; valueType: String!'),
  SensorParameter: obj('defaultValue: String; name: String!'),
  SensorParameterValue: obj('name: String!; value: String!'),
  SensorParameterization: obj(
    'endpointQueryPaths: [[String!]!]!; harvested: Boolean!; values: [SensorParameterValue!]!',
  ),
  SensorScriptType: enumOf('BESRelevance JScript Powershell Python UnixShell Unknown VBScript WMIQuery'),
  SensorScript: obj('platform: EndpointPlatform!; source: String!; type: SensorScriptType!'),
  Sensor: obj(`category: String!; columns: [SensorColumn!]; contentSet: TaniumPlatformContentSet;
    contentSetName: String!; created: Time; description: String!; endpointQueryPaths: [[String!]!]!;
    harvested: Boolean!; hidden: Boolean!; ignoreCase: Boolean!; keepDuplicatesFlag: Boolean;
    lastUpdatedBy: String!; maxAgeSeconds: Int; name: String!; parameterizations: [SensorParameterization!];
    parameters: [SensorParameter!]; scripts: [SensorScript!]; updated: Time; valueType: String!;
    virtual: Boolean!`),
  SensorEdge: edge('Sensor'),
  SensorConnection: conn('SensorEdge'),
  SensorHarvestInput: input(`cursor: Cursor; harvest: Boolean!; integrationName: String!; name: String!;
    parameters: [EndpointSensorRefParam!]`),
  SensorHarvestPayload: obj('cursor: Cursor; error: SystemError; success: Boolean'),

  // Asset products
  AssetProductState: enumOf('Cataloged Ignored Tracked'),
  AssetProductUsageEnum: enumOf('Baselining High Limited Normal NotInstalled UsageNotDetected'),
  AssetProductInstallation: obj('installedCount: Int; pendingUsage: Int; unusedCount: Int; usedCount: Int'),
  AssetProductTracking:
    obj(`baselinePeriodDays: Int; highMinutesUsedPerDay: Int; normalMinutesUsedPerDay: Int;
    reportingPeriodDays: Int; state: AssetProductState`),
  AssetProductUsage: obj(`baselining: Int!; high: Int!; limited: Int!; normal: Int!; notInstalled: Int!;
    usageNotDetected: Int!`),
  AssetProductVersion: obj('installs: Int!; version: String!'),
  AssetProduct: obj(`installation: AssetProductInstallation; name: String!; tracking: AssetProductTracking;
    usage: AssetProductUsage; vendor: String!; versions: [AssetProductVersion!]`),
  AssetProductEdge: edge('AssetProduct'),
  AssetProductConnection: conn('AssetProductEdge', 'totalCount', '[AssetProductEdge]!'),
  AssetProductsFilter: input('search: String; states: [AssetProductState!]; vendors: [String!]'),
  AssetProductEndpoint: obj(`computerId: String; computerName: String; createdAt: Time; eid: Int;
    endpointFingerprint: String; id: Int; ipAddress: String; manufacturer: String; operatingSystem: String;
    osPlatform: String; serialNumber: String; servicePack: String; updatedAt: Time; userName: String`),
  AssetProductEndpointEdge: edge('AssetProductEndpoint'),
  AssetProductEndpointConnection: conn(
    'AssetProductEndpointEdge',
    'totalCount',
    '[AssetProductEndpointEdge]!',
  ),
  AssetProductEndpointsFilter: input(
    'name: String; usage: AssetProductUsageEnum; vendor: String; version: String',
  ),

  // Actions, action groups, scheduled actions
  ActionStatus: enumOf('ACTIVE CLOSED EXPIRED OPEN PENDING STOPPED'),
  PackageParam: obj('name: String!; value: String!'),
  PackageRef: obj('id: ID; name: String; params: [String!]; sensorSourcedParams: [PackageParam!]'),
  PackageParamInput: input('name: String!; value: String!'),
  PackageRefInput: input(
    'id: ID; name: String; params: [String!]; sensorSourcedParams: [PackageParamInput!]',
  ),
  ActionResults:
    obj(`completed: Int!; downloading: Int!; expired: Int!; failed: Int!; failedVerification: Int!;
    id: ID!; pendingVerification: Int!; running: Int!; verified: Int!; waiting: Int!; waitingToRetry: Int!`),
  ActionTargets: obj('actionGroup: NamedRef!; targetGroup: NamedRef!'),
  Action: obj(`approver: Principal; comment: String!; creationTime: Time; creator: Principal!;
    distributeSeconds: Int; expirationTime: Time; expireSeconds: Int; id: ID!; metadata: [Metadata!]!;
    name: String!; package: PackageRef!; results: ActionResults!; scheduledAction: ScheduledAction;
    startTime: Time; status: ActionStatus; stopped: Boolean!; stoppedFlag: Boolean; targets: ActionTargets!`),
  ActionEdge: edge('Action'),
  ActionConnection: conn('ActionEdge'),
  ActionActionGroupInput: input('id: ID; name: String'),
  ActionTargetGroupInput: input('filter: ComputerGroupFilter; id: ID; name: String'),
  ActionTargetsInput:
    input(`actionGroup: ActionActionGroupInput; endpoints: [ID!]; platforms: [EndpointPlatform!];
    targetGroup: ActionTargetGroupInput`),
  ActionScheduleInput: input('distributeSeconds: Int = 0; expireSeconds: Int; startTime: Time'),
  ActionCreateInput:
    input(`comment: String; metadata: [MetadataInput!]; name: String; package: PackageRefInput!;
    schedule: ActionScheduleInput; targets: ActionTargetsInput!`),
  ActionCreatePayload: obj('action: Action; error: SystemError'),
  ActionStopPayload: obj('error: SystemError; id: ID'),
  ActionGroupVisibility: enumOf('ADMIN ALL USER_GROUPS'),
  ActionGroup: obj(`any: Boolean!; computerGroups: [ComputerGroup!]!; id: ID!; name: String!;
    userGroups: [NamedRef!]; visibility: ActionGroupVisibility!`),
  ActionGroupEdge: edge('ActionGroup'),
  ActionGroupConnection: conn('ActionGroupEdge'),
  ActionGroupCreateInput: input(`any: Boolean! = false; computerGroups: [NamedRefInput!]!; name: String!;
    userGroups: [NamedRefInput!]; visibility: ActionGroupVisibility!`),
  ActionGroupCreatePayload: obj('error: SystemError; group: ActionGroup'),
  ActionGroupDeletePayload: obj('error: SystemError; id: ID'),
  ScheduledActionStatus: enumOf('DELETED DISABLED ENABLED'),
  ScheduledAction: obj(`approved: Boolean!; approver: Principal; comment: String!; creator: Principal!;
    distributeSeconds: Int; endTime: Time; expireSeconds: Int; id: ID!; issueCount: Int!; issueSeconds: Int;
    lastAction: Action; lastStartTime: Time; metadata: [Metadata!]!; name: String!; nextStartTime: Time;
    package: PackageRef!; startTime: Time; status: ScheduledActionStatus; targets: ActionTargets!`),
  ScheduledActionEdge: edge('ScheduledAction'),
  ScheduledActionConnection: conn('ScheduledActionEdge'),
  ScheduledActionScheduleInput: input(`distributeSeconds: Int = 0; endTime: Time; expireSeconds: Int;
    reissueSeconds: Int!; startTime: Time`),
  ScheduledActionCreateInput: input(`comment: String; metadata: [MetadataInput!]; name: String;
    package: PackageRefInput!; schedule: ScheduledActionScheduleInput!; targets: ActionTargetsInput!`),
  ScheduledActionCreatePayload: obj('error: SystemError; scheduledAction: ScheduledAction'),
  ScheduledActionDeletePayload: obj('error: SystemError; id: ID'),
  ScheduledActionApprovePayload: obj('approved: Boolean; error: SystemError; id: ID'),

  // Patch
  PatchEndpointPlatform: enumOf('LINUX MACOS WINDOWS'),
  PatchDefinitionSortField: enumOf('platform releaseDate severity title'),
  PatchDefinition: obj(`classification: String!; createdDate: Date!; cveIds: [String!]!; id: String!;
    isSuperseded: Boolean!; platform: PatchEndpointPlatform!; product: String!; releaseDate: Date;
    severity: String!; sizeInBytes: Int!; title: String!`),
  PatchDefinitionEdge: edge('PatchDefinition'),
  PatchDefinitionConnection: conn('PatchDefinitionEdge'),
  PatchDefinitionFieldFilter: input(`classification: String; cveIds: [String!]; hasCve: Boolean;
    isSuperseded: Boolean; platform: PatchEndpointPlatform; product: String; releasedOnOrAfterDate: Date;
    releasedOnOrBeforeDate: Date; severity: String`),
  PatchDefinitionFieldSort: input('field: PatchDefinitionSortField! = releaseDate; order: SortOrder! = desc'),
  PatchContentDeploymentType: enumOf('ALL_SECURITY_UPDATES ALL_UPDATES MANUAL_SELECTION'),
  PatchDeploymentStatus: enumOf('ACTIVE ENDED INACTIVE STOPPED'),
  PatchDeploymentType: enumOf('INSTALL UNINSTALL'),
  PatchScheduleType: enumOf('ONGOING SINGLE'),
  PatchListRef: obj('id: ID!; version: Int'),
  PatchListRefInput: input('id: ID!; version: Int'),
  PatchPostponeOptions: obj(
    'durationOne: MonotonicDuration!; durationThree: MonotonicDuration!; durationTwo: MonotonicDuration!',
  ),
  PatchPostponeOptionsInput: input(`durationOne: MonotonicDurationInput! = {seconds: 3600};
    durationThree: MonotonicDurationInput! = {seconds: 1440}; durationTwo: MonotonicDurationInput! = {seconds: 7200}`),
  PatchClientNotificationTranslation: obj('body: String!; languageCode: String!; title: String!'),
  PatchClientNotificationTranslationInput: input('body: String!; languageCode: String!; title: String!'),
  PatchClientNotification:
    obj(`body: String!; countdownToDeadline: MonotonicDuration!; includeFrame: Boolean!;
    notificationPeriodDuration: MonotonicDuration!; postponeOptions: PatchPostponeOptions; title: String!;
    translations: [PatchClientNotificationTranslation!]`),
  PatchClientNotificationInput:
    input(`body: String!; countdownToDeadline: MonotonicDurationInput! = {seconds: 600};
    includeFrame: Boolean! = true; notificationPeriodDuration: MonotonicDurationInput! = {seconds: 86400};
    postponeOptions: PatchPostponeOptionsInput; title: String!; translations: [PatchClientNotificationTranslationInput!]`),
  PatchNotifications: obj('postDeployment: PatchClientNotification'),
  PatchNotificationsInput: input('postDeployment: PatchClientNotificationInput'),
  PatchQuestionCriteria: obj('limitingGroups: [IdRef!]; questionGroups: [IdRef!] @deprecated'),
  PatchQuestionCriteriaInput: input('filter: ComputerGroupFilter; limitingGroups: [IdRefInput!]'),
  PatchTargets: obj('computerGroups: [IdRef!]; questionCriteria: PatchQuestionCriteria'),
  PatchTargetsInput: input('computerGroups: [IdRefInput!]; questionCriteria: PatchQuestionCriteriaInput'),
  PatchSchedule: obj(`distributeOver: MonotonicDuration; endTime: Time; eussAvailableBeforeStart: Boolean;
    eussHideFromActivity: Boolean; overrideMaintenanceWindows: Boolean!; startTime: Time!; timeZone: String;
    type: PatchScheduleType!`),
  PatchScheduleInput: input(`distributeOver: MonotonicDurationInput; endTime: Time;
    eussAvailableBeforeStart: Boolean = false; eussHideFromActivity: Boolean = false;
    overrideMaintenanceWindows: Boolean! = false; startTime: Time!; timeZone: String; type: PatchScheduleType!`),
  PatchDeployment: obj(`author: TaniumPlatformUser; contentDeploymentType: PatchContentDeploymentType!;
    contentSet: IdRef!; createdTime: Time!; description: String; downloadImmediately: Boolean!; id: ID!;
    name: String!; notifications: PatchNotifications; overrideBlocklists: Boolean!; patchLists: [PatchListRef!];
    patches: [IdRef!]; platform: PatchEndpointPlatform!; restart: Boolean!; schedule: PatchSchedule;
    status: PatchDeploymentStatus!; stoppedTime: Time; targets: PatchTargets!; type: PatchDeploymentType!;
    updatedTime: Time!`),
  PatchCreateDeploymentInput: input(`contentDeploymentType: PatchContentDeploymentType! = MANUAL_SELECTION;
    contentSet: IdRefInput!; description: String; downloadImmediately: Boolean! = true; name: String!;
    notifications: PatchNotificationsInput; overrideBlocklists: Boolean! = false; patchLists: [PatchListRefInput!];
    patches: [IdRefInput!]; platform: PatchEndpointPlatform!; restart: Boolean! = false;
    schedule: PatchScheduleInput; targets: PatchTargetsInput!; type: PatchDeploymentType! = INSTALL`),
  PatchCreateDeploymentPayload: obj('deployment: PatchDeployment; error: SystemError'),
  PatchStopDeploymentPayload: obj('deployment: PatchDeployment; error: SystemError'),

  // Reports
  ReportViewColumn: obj('name: String!; sourceColumnName: String!; sourceName: String!'),
  ReportViewColumnSort: obj('descending: Boolean!; index: Int!; name: String!'),
  ReportViewSource: obj('flatten: Boolean!; name: String!'),
  ReportView: obj(
    'columns: [ReportViewColumn!]!; sort: [ReportViewColumnSort!]!; sources: [ReportViewSource!]!',
  ),
  Report: obj(`author: Principal!; contentSet: NamedRef!; createdTime: Time!; description: String!;
    favorite: Boolean!; id: ID!; labels: [String!]; lastModifiedBy: Principal!; modifiedTime: Time!;
    moduleName: String; name: String!; viewDetails: ReportView!`),
  ReportEdge: edge('Report'),
  ReportConnection: conn('ReportEdge'),
  ReportFieldFilter: input(`authorNames: [String!]; contentSetNames: [String!]; createdAfter: Time;
    createdBefore: Time; labels: [String!]; moduleNames: [String!]; text: String`),
  ReportExportPayload: obj('reportDefinition: String!'),
  ReportImportInput: input('allowDuplicate: Boolean! = false; reportDefinition: String!'),
  ReportImportPayload: obj('error: SystemError; report: Report'),
  ReportDeletePayload: obj('error: SystemError; id: ID!'),

  // Playbook schedules
  Playbook:
    obj(`contentSet: TaniumPlatformContentSet; contentSetID: ID!; createdTime: Time!; deleted: Boolean!;
    description: String; id: ID!; isTaniumManaged: Boolean!; name: String!; revision: Int!; updatedTime: Time!`),
  PlaybookScheduleSpecificationOnce: obj('startTime: Time!'),
  PlaybookScheduleSpecificationRecurring: obj('cron: CronExpression!; endTime: Time; startTime: Time'),
  PlaybookScheduleSpecificationRelative: obj(`dayOfWeek: DayOfWeek!; endTime: Time; hour: Int!; minute: Int!;
    offset: Int!; startTime: Time; week: Int!`),
  PlaybookScheduleSpecification: {
    kind: 'UNION',
    members: [
      'PlaybookScheduleSpecificationOnce',
      'PlaybookScheduleSpecificationRecurring',
      'PlaybookScheduleSpecificationRelative',
    ],
  },
  PlaybookScheduleSpecificationOnceInput: input('startTime: Time!'),
  PlaybookScheduleSpecificationRecurringInput: input('cron: CronExpression!; endTime: Time; startTime: Time'),
  PlaybookScheduleSpecificationRelativeInput: input(`dayOfWeek: DayOfWeek!; endTime: Time; hour: Int! = 0;
    minute: Int! = 0; offset: Int!; startTime: Time; week: Int!`),
  PlaybookScheduleSpecificationInput: input(`once: PlaybookScheduleSpecificationOnceInput;
    recurring: PlaybookScheduleSpecificationRecurringInput; relative: PlaybookScheduleSpecificationRelativeInput`),
  PlaybookScheduleEventType: enumOf(`DISABLED_BY_CONSECUTIVE_FAILURES DISABLED_BY_EXPIRED_TOKEN
    DISABLED_BY_INVALID_CRON DISABLED_BY_MISSING_OVERRIDES DISABLED_BY_PLAYBOOK_UPDATES DISABLED_BY_USER`),
  PlaybookScheduleEvent: obj(
    'createdTime: Time!; initiator: TaniumPlatformUserContext; name: PlaybookScheduleEventType!',
  ),
  PlaybookStepOverride: obj(
    'endpointTargeting: PlaybookStepTargeting; stepId: ID!; taskArgument: AutomateTaskArgument',
  ),
  PlaybookStepTaskArgumentOverride: obj('stepId: String!; taskArgument: AutomateTaskArgument!'),
  PlaybookStepTargetingInput: input(
    'customTargeting: ComputerGroupFilter; previousStepCompletedTargetingID: ID; previousStepTargetingID: ID',
  ),
  PlaybookStepOverrideInput: input(
    'endpointTargeting: PlaybookStepTargetingInput; stepID: ID!; taskArgument: AutomateTaskArgumentInput',
  ),
  PlaybookSchedule: obj(`applyingUpdates: Boolean!; createdTime: Time!; cron: CronExpression! @deprecated;
    description: String; enabled: Boolean!; events: [PlaybookScheduleEvent!]!; expired: Boolean!; id: ID!;
    lastRunTime: Time; nextRunTime: Time! @deprecated; nextRunTimes(count: Int! = 1): [Time!]!;
    playbook: Playbook!; revision: Int!; scheduledBy: TaniumPlatformUserContext!;
    specification: PlaybookScheduleSpecification!; stepOverrides: [PlaybookStepOverride!]!;
    taskArgumentOverrides: [PlaybookStepTaskArgumentOverride!]!; updatedTime: Time!`),
  PlaybookScheduleEdge: edge('PlaybookSchedule'),
  PlaybookScheduleConnection: conn('PlaybookScheduleEdge'),
  PlaybookScheduleFieldFilter: input(
    'excludedScheduledByIDs: [ID!]; isEnabled: Boolean; playbookIDs: [ID!]; scheduledByIDs: [ID!]',
  ),
  PlaybookScheduleUpsertInput:
    input(`description: String; dryRun: Boolean! = false; enabled: Boolean!; id: ID;
    playbookID: ID!; specification: PlaybookScheduleSpecificationInput;
    stepOverrides: [PlaybookStepOverrideInput!]! = []; taskArgumentOverrides: [PlaybookStepTaskArgumentOverrideInput!]! = []`),
  PlaybookScheduleUpsertPayload: obj(
    'error: SystemError; isNewRecord: Boolean; playbookSchedule: PlaybookSchedule',
  ),

  // Roots: the fields the emulator serves (Tanium's Query has some 70, its Mutation some 89)
  Query: obj(`action(ref: IdRefInput!): Action; actionGroup(ref: NamedRefInput!): ActionGroup;
    actionGroups(${page}, first: Int = 20, last: Int): ActionGroupConnection;
    actions(${page}, filter: FieldFilter, first: Int = 20, last: Int): ActionConnection;
    assetProductEndpoints(after: Cursor, filter: AssetProductEndpointsFilter, first: Int): AssetProductEndpointConnection;
    assetProducts(after: Cursor, filter: AssetProductsFilter, first: Int): AssetProductConnection;
    computerGroup(ref: NamedRefInput!): ComputerGroup;
    computerGroups(${page}, filter: ComputerGroupsFilter, first: Int = 20, last: Int): ComputerGroupConnection;
    endpointIdChanges(after: Time!, namespace: String): EndpointIdChangesPayload!;
    endpoints(${page}, filter: EndpointFieldFilter, first: Int = 20, last: Int, refresh: Cursor,
      sort: [EndpointFieldSort!], source: EndpointSource): EndpointConnection;
    managementRightsGroups: [ComputerGroup!]!; myAPITokens: APITokenQueryPayload!; now: Time!;
    patchDefinitions(${page}, filter: PatchDefinitionFieldFilter, first: Int = 100, last: Int,
      sort: PatchDefinitionFieldSort! = {field: releaseDate, order: desc}): PatchDefinitionConnection!;
    patchDeployment(ref: IdRefInput!): PatchDeployment; playbook(ref: IDRevisionRefInput!): Playbook;
    playbookSchedule(ref: IdRefInput!): PlaybookSchedule;
    playbookSchedules(after: Cursor, filter: PlaybookScheduleFieldFilter, first: Int = 20): PlaybookScheduleConnection;
    report(ref: IdRefInput!): Report; reportExport(ref: IdRefInput!): ReportExportPayload!;
    reports(${page}, filter: ReportFieldFilter, first: Int = 20, last: Int): ReportConnection;
    scheduledAction(ref: IdRefInput!): ScheduledAction;
    scheduledActions(${page}, filter: FieldFilter, first: Int = 20, last: Int): ScheduledActionConnection;
    sensors(${page}, filter: FieldFilter, first: Int = 2000, includeHidden: Boolean! = false, last: Int): SensorConnection`),
  Mutation: obj(`actionCreate(input: ActionCreateInput!): ActionCreatePayload!;
    actionGroupCreate(input: ActionGroupCreateInput!): ActionGroupCreatePayload!;
    actionGroupDelete(ref: NamedRefInput!): ActionGroupDeletePayload!;
    actionStop(ref: IdRefInput!): ActionStopPayload!;
    apiTokenGrant(input: APITokenGrantInput!): APITokenGrantPayload!;
    apiTokenRevoke(input: APITokenRevokeInput!): APITokenRevokePayload!;
    apiTokenRotate(input: APITokenRotateInput!): APITokenRotatePayload!;
    computerGroupCreate(input: ComputerGroupCreateInput!): ComputerGroupCreatePayload!;
    computerGroupDelete(ref: NamedRefInput!): ComputerGroupDeletePayload!;
    patchCreateDeployment(input: PatchCreateDeploymentInput!): PatchCreateDeploymentPayload!;
    patchStopDeployment(ref: IdRefInput!): PatchStopDeploymentPayload!; ping: Boolean!;
    playbookScheduleUpsert(input: PlaybookScheduleUpsertInput!): PlaybookScheduleUpsertPayload!;
    reportDelete(ref: IdRefInput!): ReportDeletePayload!; reportImport(input: ReportImportInput!): ReportImportPayload!;
    scheduledActionApprove(ref: IdRefInput!): ScheduledActionApprovePayload!;
    scheduledActionCreate(input: ScheduledActionCreateInput!): ScheduledActionCreatePayload!;
    scheduledActionDelete(ref: IdRefInput!): ScheduledActionDeletePayload!;
    sensorHarvest(input: SensorHarvestInput!): SensorHarvestPayload!`),
};

/**
 * What the emulator defines that the published snapshot does not, and each input field it leaves
 * out; every entry has its reason (docs/emulator.md, "Fidelity").
 */
export const KNOWN_DIFFERENCES = {
  /** Types the emulator adds: Tanium's current reference, not in the snapshot. */
  extraTypes: {
    EndpointRisk:
      "Endpoint.risk: in Tanium's current reference (Cloudflare's Tanium posture reads totalScore and riskLevel); assetCriticality and lastUpdated are our assumption",
  },
  extraFields: {
    'Endpoint.risk': "in Tanium's current reference, absent from the snapshot; `--without risk` removes it",
  },
  /** Input fields of Tanium's the emulator does not accept yet, with why. */
  missingInputFields: {
    'PlaybookScheduleUpsertInput.taskArgumentOverrides': 'needs Automate task argument inputs, not emulated',
    'PlaybookStepOverrideInput.taskArgument': 'needs Automate task argument inputs, not emulated',
  },
} as const;
