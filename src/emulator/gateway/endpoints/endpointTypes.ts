/**
 * SDL of the Gateway's `Endpoint` and its parts, with Tanium's type and field names and types
 * (Gateway schema, Stability 3 fields unless noted). Fields the fleet cannot answer are left out,
 * so querying them fails as on a tenant without that solution: `Cannot query field …`.
 */
export const endpointTypeDefs = /* GraphQL */ `
  "An opaque position in a collection."
  scalar Cursor

  enum EndpointPlatform { Windows Linux Mac Solaris AIX Unknown }

  type EndpointOSWindows { majorVersion: String! releaseId: String! type: String! }
  type EndpointOS {
    name: String!
    generation: String!
    platform: EndpointPlatform!
    language: String!
    windows: EndpointOSWindows
  }
  type EndpointUser { name: String! email: String! department: String! city: String! country: String! phoneNumber: String! }
  type Memory { total: String! ram: String! }
  type Processor {
    cpu: String! speed: String! logicalProcessors: Int! architecture: String! manufacturer: String!
    family: String! cacheSize: String! consumption: String! highConsumption: String! revision: String!
  }
  type EndpointDisk { name: String! free: String! total: String! usedSpace: String! usedPercentage: String! }
  type NetworkAdapter { name: String! manufacturer: String! type: String! macAddress: String! speed: String! connectionId: String! }
  enum WirelessAdapterState { CONNECTED DISCONNECTED UNKNOWN }
  type WirelessAdapter { ssid: String! state: WirelessAdapterState! }
  type Networking { dnsServers: [String!]! adapters: [NetworkAdapter!]! wirelessAdapters: [WirelessAdapter!]! }
  type EndpointService { name: String! displayName: String! status: String! startupMode: String! }
  type EndpointInstalledApplication { name: String! version: String! silentUninstallString: String! uninstallable: Boolean }

  type EndpointComplianceCveFinding {
    cveId: String
    cveYear: String
    cvssScore: Float
    cvssScoreV3: Float
    severity: String
    severityV3: String
    summary: String
    firstFound: Date
    lastFound: Date
    absoluteFirstFoundDate: Date
    "Stability 1 (experimental)."
    excepted: Boolean
    "Stability 1 (experimental)."
    isCisaKev: Boolean
    "Stability 1 (experimental)."
    epssScore: Float
    "Deprecated: use lastFound."
    lastScanDate: Date
  }
  type EndpointComplianceComplianceFinding {
    id: String
    ruleId: String
    rule: String
    category: String
    state: String
    standard: String
    standardVersion: String
    profile: String
    profileVersion: String
    firstFoundDate: Date
    lastScanDate: Date
    "Stability 1 (experimental)."
    excepted: Boolean
  }
  "Comply findings of an endpoint. Use of this field requires the Comply solution. Either list may be null (not known)."
  type EndpointCompliance {
    cveFindings(filter: FieldFilter): [EndpointComplianceCveFinding!]
    complianceFindings(filter: FieldFilter): [EndpointComplianceComplianceFinding!]
  }
  "Not in every published schema version (see docs/emulator.md)."
  type EndpointRisk { totalScore: Int! riskLevel: String! assetCriticality: String! lastUpdated: Time! }

  input SensorParamInput { name: String! value: String! }
  input EndpointSensorRef {
    name: String!
    params: [SensorParamInput!]
    columns: [String!]
    maxAge: Int
  }
  type SensorParam { name: String! value: String! }
  type EndpointSensorRefInfo { name: String! params: [SensorParam!] }
  type EndpointSensorReadingsColumn { name: String! values: [String!]! sensor: EndpointSensorRefInfo! }
  type EndpointSensorReadings { columns: [EndpointSensorReadingsColumn!]! }
  type EndpointSensorReading { values: [String!]! floatValues: [Float] }

  "An RFC 3339 calendar date or date and time."
  scalar Date

  type Endpoint {
    id: ID!
    computerID: String!
    name: String!
    domainName: String!
    serialNumber: String!
    systemUUID: String!
    manufacturer: String!
    model: String!
    chassisType: String!
    ipAddress: String!
    ipAddresses: [String!]
    macAddresses: [String!]
    namespace: String!
    eidFirstSeen: Time
    eidLastSeen: Time
    lastLoggedInUser: String!
    primaryUser: EndpointUser!
    isVirtual: Boolean
    isEncrypted: Boolean
    os: EndpointOS!
    memory: Memory!
    processor: Processor!
    disks: [EndpointDisk!]
    networking: Networking!
    services: [EndpointService!]!
    installedApplications(filter: FieldFilter): [EndpointInstalledApplication!]!
    compliance: EndpointCompliance
    risk: EndpointRisk
    sensorReadings(sensors: [EndpointSensorRef!]!, includeHiddenColumns: Boolean! = false): EndpointSensorReadings!
    "Stability 1.1."
    sensorReading(sensor: EndpointSensorRef!): EndpointSensorReading
  }
`;
