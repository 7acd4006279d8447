import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ConnectionError,
  GraphQLError,
  InvalidRequestError,
  NotFoundError,
  PermissionError,
  ServerError,
} from '../sdk/index.js';
import { initialRotationRecord, type RotationRecord } from '../store/rotation.js';
import { classifyGrantError, classifyRevokeError } from './errorClassification.js';
import { forecastMethod, GRANT_RECHECK_MS, permissionNames, planFor } from './method.js';
import { markedNotes, userNotes } from './notesMarker.js';

const T0 = Date.parse('2030-01-01T00:00:00Z');
const at = (ms: number) => new Date(ms);
const refused: RotationRecord = {
  ...initialRotationRecord(at(T0).toISOString()),
  grantCapability: 'refused',
  grantCheckedAt: at(T0).toISOString(),
};

describe('choosing the rotation method', () => {
  it('auto: grant-then-revoke falling back to the exchange; after a refusal, the exchange until the re-check', () => {
    expect(planFor('auto', undefined, at(T0))).toEqual({ method: 'grant', fallback: 'rest' });
    expect(planFor('auto', refused, at(T0 + GRANT_RECHECK_MS - 1))).toEqual({
      method: 'rest',
      fallback: null,
    });
    expect(planFor('auto', refused, at(T0 + GRANT_RECHECK_MS))).toEqual({
      method: 'grant',
      fallback: 'rest',
    });
    // A forced method is used as is, whatever was detected.
    expect(planFor('grant-graphql', refused, at(T0))).toEqual({ method: 'grant-graphql', fallback: null });
    expect(planFor('graphql', undefined, at(T0))).toEqual({ method: 'graphql', fallback: null });
  });

  it('forecast: a fresh refusal first, then the listed permissions, then an earlier grant, else not known', () => {
    expect(forecastMethod(refused, ['*'], at(T0))).toMatchObject({ method: 'rest', source: 'detection' });
    expect(forecastMethod(undefined, ['Token - Create'], at(T0))).toMatchObject({
      method: 'grant',
      source: 'permissions',
    });
    expect(forecastMethod(undefined, ['Show Patch'], at(T0))).toMatchObject({
      method: 'rest',
      source: 'permissions',
    });
    const allowed = { ...refused, grantCapability: 'allowed' as const };
    expect(forecastMethod(allowed, undefined, at(T0))).toMatchObject({
      method: 'grant',
      source: 'detection',
    });
    expect(forecastMethod(refused, undefined, at(T0 + GRANT_RECHECK_MS))).toMatchObject({
      method: 'grant',
      source: 'not_known',
    });
    expect(permissionNames([{ id: 1 }])).toBeUndefined();
    expect(permissionNames(['a'])).toEqual(['a']);
  });
});

describe('classifying grant and revoke failures', () => {
  const net = (code: string, reached: boolean) =>
    new ConnectionError('x', { code, mayHaveReachedServer: reached });
  it('a grant: 403 or a Gateway permission error is forbidden; other definite answers rejected; else unknown', () => {
    expect(classifyGrantError(new PermissionError('403', { status: 403 }))).toBe('forbidden');
    expect(
      classifyGrantError(
        new GraphQLError(['apiTokenGrant: this persona lacks the "Token - Create" permission'], {}),
      ),
    ).toBe('forbidden');
    expect(
      classifyGrantError(new GraphQLError(['apiTokenGrant: expiresInDays 400 exceeds the maximum'], {})),
    ).toBe('rejected');
    expect(classifyGrantError(new InvalidRequestError('400', { status: 400 }))).toBe('rejected');
    expect(classifyGrantError(new AuthenticationError('401', { status: 401 }))).toBe('refused');
    expect(classifyGrantError(net('UND_ERR_SOCKET', true))).toBe('no_answer');
    expect(classifyGrantError(new ServerError('503', { status: 503 }))).toBe('no_answer');
  });

  it('a revoke: 404 is gone, 401 refused, other definite answers rejected, anything else unreachable', () => {
    expect(classifyRevokeError(new NotFoundError('404', { status: 404 }))).toBe('gone');
    expect(classifyRevokeError(new GraphQLError(['apiTokenRevoke: no active API token with id 5'], {}))).toBe(
      'gone',
    );
    expect(classifyRevokeError(new AuthenticationError('401', { status: 401 }))).toBe('refused');
    expect(classifyRevokeError(new PermissionError('403', { status: 403 }))).toBe('rejected');
    expect(classifyRevokeError(net('ECONNRESET', true))).toBe('unreachable');
    expect(classifyRevokeError(new ServerError('500', { status: 500 }))).toBe('unreachable');
  });
});

describe('the notes marker', () => {
  it('keeps the user notes, replaces an earlier marker, and stands alone on empty notes', () => {
    expect(markedNotes('integration', 'a1')).toBe('integration [tanium-bridge a1]');
    expect(markedNotes('integration [tanium-bridge a1]', 'b2')).toBe('integration [tanium-bridge b2]');
    expect(markedNotes('', 'a1')).toBe('[tanium-bridge a1]');
    expect(userNotes('x [tanium-bridge a1]')).toBe('x');
  });
});
