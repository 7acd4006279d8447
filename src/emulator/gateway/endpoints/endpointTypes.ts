/**
 * SDL of the Gateway's `Endpoint` and its nested types: every field Tanium's published schema gives
 * them, with its names, types and nullability (deprecated fields included, marked deprecated). The
 * deprecation reasons are ours, in short.
 */
export const endpointTypeDefs = /* GraphQL */ `
  enum EndpointPlatform { AIX Linux Mac Solaris Unknown Windows }

  "A generic asset, such as an endpoint."
  interface Asset {
    configurationItem: ConfigurationItem @deprecated(reason: "No longer supported.")
    id: ID!
    manufacturer: String!
    model: String!
    name: String!
    serialNumber: String!
  }
  type ConfigurationItem { entityClassIDs: [ID!]! entityID: ID! namespace: String! }

  type EndpointWindowsOS { majorVersion: String! releaseId: String! type: String! }
  type EndpointOS {
    generation: String!
    language: String!
    name: String!
    platform: EndpointPlatform!
    windows: EndpointWindowsOS
  }
  type EndpointUser { city: String! country: String! department: String! email: String! name: String! phoneNumber: String! }
  type Memory {
    ram: String!
    total: String!
    used: String! @deprecated(reason: "Use directConnectEndpoint performance data and memory.total.")
    usedPercentage: String! @deprecated(reason: "Use directConnectEndpoint performance data.")
  }
  type Processor {
    architecture: String! cacheSize: String! consumption: String! cpu: String! family: String!
    highConsumption: String! logicalProcessors: Int! manufacturer: String! revision: String! speed: String!
  }
  type EndpointDisk { free: String name: String! total: String usedPercentage: String usedSpace: String }
  type DiskSpace { free: String! total: String! usedPercentage: String! usedSpace: String! }
  type NetworkAdapter { connectionId: String! macAddress: String! manufacturer: String! name: String! speed: String! type: String! }
  enum ConnectedState { CONNECTED DISCONNECTED UNKNOWN }
  type WirelessAdapter {
    authentication: String! @deprecated(reason: "Deprecated before the first Gateway release.")
    macAddress: String! @deprecated(reason: "Use Endpoint.macAddresses.")
    networkType: String! @deprecated(reason: "Deprecated before the first Gateway release.")
    radio: String! @deprecated(reason: "Deprecated before the first Gateway release.")
    ssid: String!
    state: ConnectedState!
  }
  type Networking { adapters: [NetworkAdapter]! dnsServers: [String]! wirelessAdapters: [WirelessAdapter]! }
  enum EndpointServiceStartupMode { AUTO BOOT DISABLED MANUAL ON_DEMAND SYSTEM }
  enum EndpointServiceStatus { CONTINUE_PENDING PAUSED PAUSE_PENDING RUNNING START_PENDING STOPPED STOP_PENDING }
  type EndpointService {
    displayName: String!
    name: String!
    startupMode: EndpointServiceStartupMode
    status: EndpointServiceStatus
  }
  type EndpointInstalledApplication { name: String! silentUninstallString: String! uninstallable: Boolean version: String! }
  type EndpointDeploySoftwarePackage { applicability: String! gallery: String! id: ID! name: String! vendor: String! version: String! }
  type EndpointSoftwarePackageVersion { removable: Boolean! softwarePackageID: ID version: String! }
  type EndpointSoftwarePackage {
    installableVersions: [EndpointSoftwarePackageVersion!]
    installedVersions: [EndpointSoftwarePackageVersion!]
    name: String!
    updateToVersions: [EndpointSoftwarePackageVersion!]
  }
  type EndpointDiscover { discoverMethod: String discoverProfile: String natIpAddress: String openPorts: [Int!] }
  type EndpointEventCounts { all: Int! appCrash: Int! cpu: Int! disk: Int! memory: Int! network: Int! }
  type EndpointSentinelSCCMClient { health: String reason: String }
  type EndpointSentinelWindowsDefender {
    antiSpywareEnabled: String antivirusEnabled: String antivirusSignatureUpdateAge: String clientVersion: String
    healthy: String installed: String processEnabled: String processStartType: String quickScanAge: String
  }
  type EndpointSentinel { sccmClient: EndpointSentinelSCCMClient! windowsDefender: EndpointSentinelWindowsDefender! }

  type EndpointComplianceCveFindingCWE { id: String name: String }
  type EndpointComplianceCveFindingMitreAttack { id: String name: String }
  type EndpointComplianceCveFinding {
    absoluteFirstFoundDate: Date
    affectedProducts: [String!]
    alias: String
    cisaDateAdded: Date
    cisaDueDate: Date
    cisaNotes: String
    cisaProduct: String
    cisaRequiredAction: String
    cisaShortDescription: String
    cisaVendor: String
    cisaVulnerabilityName: String
    cpes: [String!]
    createdDate: Date
    cveId: String
    cveYear: String
    cvssScore: Float
    cvssScoreV3: Float
    cvssScoreV4: Float
    cvssSeverityV4: String
    cvssTemporalScoreV3: Float
    cvssThreatScoreV4: Float
    cvssVectorV4: String
    cwes: [EndpointComplianceCveFindingCWE!]
    detectedCPEs: [String!]
    detectedProducts: [String!]
    epssPercentile: Float
    epssPercentileRange: String
    epssScore: Float
    excepted: Boolean
    firstFound: Date
    isCisaKev: Boolean
    lastFound: Date
    lastScanDate: Date @deprecated(reason: "Use lastFound, which returns the same data.")
    maxMaturity: String
    mitreAttacks: [EndpointComplianceCveFindingMitreAttack!]
    mitreLink: String
    modifiedDate: Date
    nistLink: String
    remediation: String
    scanType: String
    secpodLink: String
    severity: String
    severityV3: String
    solutionLinks: [String!]
    summary: String
  }
  type EndpointComplianceComplianceFinding {
    category: String
    excepted: Boolean
    firstFoundDate: Date
    id: String
    lastScanDate: Date
    profile: String
    profileVersion: String
    rule: String
    ruleId: String
    standard: String
    standardVersion: String
    state: String
  }
  "Comply findings of an endpoint (the Comply solution). Either list may be null: not known this time."
  type EndpointCompliance {
    complianceFindings(filter: FieldFilter): [EndpointComplianceComplianceFinding!]
    cveFindings(filter: FieldFilter): [EndpointComplianceCveFinding!]
  }

  enum SensorValueFilterOp { CONTAINS ENDS_WITH EQ GT GTE LT LTE MATCHES STARTS_WITH }
  input SensorValueFilter {
    any: Boolean! = false
    column: String
    filters: [SensorValueFilter!]
    negated: Boolean! = false
    op: SensorValueFilterOp! = EQ
    restrictOwner: Boolean! = true
    value: String
  }
  input EndpointSensorRefParam { name: String! value: String! }
  input EndpointSensorRef {
    columns: [String!]
    filter: SensorValueFilter
    maxAge: Int
    name: String!
    params: [EndpointSensorRefParam!]
  }
  type EndpointSensorReadingRefParam { name: String! value: String! }
  type EndpointSensorReadingRef { name: String! params: [EndpointSensorReadingRefParam!] }
  type EndpointSensorReadingColumn { name: String! sensor: EndpointSensorReadingRef! values: [String!]! }
  type EndpointSensorReadings { columns: [EndpointSensorReadingColumn!]! }
  type EndpointSensorReading { floatValues: [Float] values: [String!]! }

  "An endpoint managed by the Tanium Client."
  type Endpoint implements Asset {
    chassisType: String!
    compliance: EndpointCompliance
    computerID: String!
    configurationItem: ConfigurationItem @deprecated(reason: "No longer supported.")
    deployedSoftwarePackages(filter: FieldFilter): [EndpointDeploySoftwarePackage!]!
    discover: EndpointDiscover
    diskSpace: DiskSpace! @deprecated(reason: "Use disks, which lists every drive.")
    disks: [EndpointDisk!]
    domainName: String!
    eidFirstSeen: Time
    eidLastSeen: Time
    entityProviderName: String
    entityProviderType: String
    entityType: String
    eventCounts: EndpointEventCounts!
    id: ID!
    installedApplications(filter: FieldFilter): [EndpointInstalledApplication!]!
    ipAddress: String!
    ipAddresses: [String!]
    isEncrypted: Boolean
    isEndpoint: Boolean
    isVirtual: Boolean
    lastLoggedInUser: String!
    macAddresses: [String!]
    manufacturer: String!
    memory: Memory!
    model: String!
    name: String!
    namespace: String!
    networking: Networking!
    os: EndpointOS!
    primaryUser: EndpointUser!
    processor: Processor!
    sensorReading(sensor: EndpointSensorRef!): EndpointSensorReading
    sensorReadings(includeHiddenColumns: Boolean! = false, sensors: [EndpointSensorRef!]!): EndpointSensorReadings!
    sentinel: EndpointSentinel!
    serialNumber: String!
    services: [EndpointService!]!
    software: [EndpointSoftwarePackage!]! @deprecated(reason: "Use installedApplications and deployedSoftwarePackages.")
    systemUUID: String!
  }
`;

/**
 * `Endpoint.risk` (`EndpointRisk`): in Tanium's current reference (Cloudflare's Tanium posture
 * integration reads `totalScore` and `riskLevel`) but absent from the published schema snapshot,
 * so a tenant may lack it: the emulator's `--without risk` leaves this slice out.
 */
export const riskTypeDefs = /* GraphQL */ `
  "An endpoint's risk (not in every published schema version; see docs/emulator.md)."
  type EndpointRisk { assetCriticality: String! lastUpdated: Time! riskLevel: String! totalScore: Int! }
  extend type Endpoint { risk: EndpointRisk }
`;
