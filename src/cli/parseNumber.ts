import { UserError } from '../common/userError.js';

/** A TCP port from the command line: a whole number from 0 (any free port) to 65535. */
export function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text.trim()) || Number(text) > 65_535) {
    throw new UserError(`Invalid port "${text}": use a whole number from 0 to 65535 (0 picks a free port).`);
  }
  return Number(text);
}

/** A whole number option within bounds, refused naming the option's name and range. */
export function parseWhole(text: string, option: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d{1,10}$/.test(text.trim()) || value < min || value > max) {
    throw new UserError(`Invalid ${option} "${text}": use a whole number from ${min} to ${max}.`);
  }
  return value;
}
