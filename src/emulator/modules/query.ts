import type { FastifyRequest } from 'fastify';
import { HttpError } from '../httpError.js';

/**
 * Query-string readers for the module routes. Each failure is a 400 naming the parameter, what it
 * must be and what was sent. Unknown parameters are ignored, as Tanium's module APIs ignore them.
 */
export type Query = Readonly<Record<string, string | string[] | undefined>>;

export const badQuery = (message: string): HttpError => new HttpError(400, 'BadRequest', message);

export const queryOf = (request: FastifyRequest): Query => (request.query ?? {}) as Query;

export function stringParam(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw badQuery(`query parameter "${name}" was given ${value.length} times`);
  return value;
}

export interface IntegerRule {
  min: number;
  /** Larger values are refused with 400. */
  max?: number;
  /** Larger values are lowered to this (Tanium's documented behaviour for some limits). */
  cap?: number;
}

export function integerParam(query: Query, name: string, rule: IntegerRule): number | undefined {
  const raw = stringParam(query, name);
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d{1,15}$/.test(raw.trim()))
    throw badQuery(`query parameter "${name}" must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < rule.min)
    throw badQuery(`query parameter "${name}" must be at least ${rule.min}, got ${value}`);
  if (rule.max !== undefined && value > rule.max) {
    throw badQuery(`query parameter "${name}" must be at most ${rule.max}, got ${value}`);
  }
  return rule.cap !== undefined ? Math.min(value, rule.cap) : value;
}

export function enumParam<T extends string>(
  query: Query,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const raw = stringParam(query, name);
  if (raw === undefined || raw === '') return undefined;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw badQuery(`query parameter "${name}" must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

export function booleanParam(query: Query, name: string): boolean | undefined {
  const raw = enumParam(query, name, ['true', 'false', '1', '0']);
  return raw === undefined ? undefined : raw === 'true' || raw === '1';
}

/** All values of a repeatable parameter (`id=1&id=2`, or `platform[]=a&platform[]=b`). */
export function listParam(query: Query, name: string): string[] {
  const value = query[name] ?? query[`${name}[]`];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
}

/** A path id: a whole number, else the object cannot exist (404 with the module's not-found name). */
export function pathId(raw: string, notFoundCode: string, what: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw new HttpError(404, notFoundCode, `no ${what} with id "${raw}"`);
  return Number(raw);
}

export const notFound = (code: string, what: string, id: string | number): HttpError =>
  new HttpError(404, code, `no ${what} with id ${JSON.stringify(id)}`);

/** One page of an offset/limit (or skip/take) list. */
export function page<T>(items: readonly T[], offset: number, limit: number | undefined): T[] {
  return items.slice(offset, limit === undefined ? undefined : offset + limit);
}
