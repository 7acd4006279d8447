import { badBody, HttpError } from './httpError.js';
import { TrustList } from './trustList.js';

/** The global settings that shape API tokens (Tanium's console documentation of API tokens, and its platform API). */
export interface SettingDefinition {
  readonly name: string;
  readonly valueType: 'Numeric' | 'Text';
  readonly defaultValue: string;
  readonly description: string;
}

export const SETTING_DEFINITIONS: readonly SettingDefinition[] = [
  {
    name: 'api_token_expiration_in_days',
    valueType: 'Numeric',
    defaultValue: '7',
    description: 'Default lifetime in days of a new API token.',
  },
  {
    name: 'api_token_max_expiration_in_days',
    valueType: 'Numeric',
    defaultValue: '365',
    description: 'Largest expire_in_days a new API token may ask for.',
  },
  {
    name: 'api_token_trusted_ip_address_list',
    valueType: 'Text',
    defaultValue: '',
    description: 'Addresses (IP or CIDR, comma-separated) from which any API token may be used.',
  },
  {
    name: 'authenticate_api_token_with_x_forwarded_for_ip',
    valueType: 'Numeric',
    defaultValue: '0',
    description: '1: check the X-Forwarded-For address instead of the peer address (behind a reverse proxy).',
  },
  {
    name: 'api_token_string_length',
    valueType: 'Numeric',
    defaultValue: '64',
    description: 'Number of hexadecimal characters after the token- prefix of new token strings (64-1024).',
  },
];

export interface SettingRecord {
  id: number;
  name: string;
  value: string;
  modifiedMs: number;
}

/** Holds setting values and enforces the rules between them. */
export class Settings {
  constructor(readonly records: SettingRecord[]) {}

  static defaults(nowMs: number): Settings {
    return new Settings(
      SETTING_DEFINITIONS.map((definition, index) => ({
        id: index + 1,
        name: definition.name,
        value: definition.defaultValue,
        modifiedMs: nowMs,
      })),
    );
  }

  find(name: string): SettingRecord {
    const record = this.records.find((r) => r.name === name);
    if (!record) throw new HttpError(404, 'SystemSettingNotFound', `no system setting named "${name}"`);
    return record;
  }

  number(name: string): number {
    return Number(this.find(name).value);
  }

  trustList(): TrustList {
    return TrustList.parse(this.find('api_token_trusted_ip_address_list').value);
  }

  /** Validates a new value against the setting's type and the rules between settings, then applies it. */
  set(name: string, value: string, nowMs: number): SettingRecord {
    const record = this.find(name);
    const definition = SETTING_DEFINITIONS.find((d) => d.name === name);
    if (definition?.valueType === 'Numeric') validateNumeric(this, name, value);
    if (name === 'api_token_trusted_ip_address_list') TrustList.parse(value);
    record.value = definition?.valueType === 'Numeric' ? String(Number(value)) : value;
    record.modifiedMs = nowMs;
    return record;
  }
}

function validateNumeric(settings: Settings, name: string, value: string): void {
  if (!/^\s*\d+\s*$/.test(value)) throw badBody(`${name} must be a whole number, got "${value}"`);
  const number = Number(value);
  switch (name) {
    case 'authenticate_api_token_with_x_forwarded_for_ip':
      if (number !== 0 && number !== 1) throw badBody(`${name} must be 0 or 1`);
      return;
    case 'api_token_string_length':
      if (number < 64 || number > 1024) throw badBody(`${name} must be between 64 and 1024`);
      return;
    case 'api_token_expiration_in_days': {
      if (number < 1) throw badBody(`${name} must be at least 1`);
      const max = settings.number('api_token_max_expiration_in_days');
      if (number > max) {
        throw badBody(`${name} (${number}) may not exceed api_token_max_expiration_in_days (${max})`);
      }
      return;
    }
    case 'api_token_max_expiration_in_days': {
      if (number < 1) throw badBody(`${name} must be at least 1`);
      const lifetime = settings.number('api_token_expiration_in_days');
      if (number < lifetime) {
        throw badBody(`${name} (${number}) may not be below api_token_expiration_in_days (${lifetime})`);
      }
      return;
    }
    default:
      if (number < 1) throw badBody(`${name} must be at least 1`);
  }
}
