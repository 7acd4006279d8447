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

/** A duration in seconds (decimals allowed, 0.1 to 600) from the command line, in milliseconds. */
export function parseSeconds(text: string, option: string): number {
  const value = Number(text);
  if (!/^\d{1,3}(\.\d{1,3})?$/.test(text.trim()) || value < 0.1 || value > 600) {
    throw new UserError(`Invalid ${option} "${text}": use a number of seconds from 0.1 to 600.`);
  }
  return Math.round(value * 1000);
}

/** A share from 0 to 1 (`0.05`, `0`, `1`), refused naming the option. */
export function parseShare(text: string, option: string): number {
  const value = Number(text);
  if (!/^(0(\.\d{1,6})?|1(\.0{1,6})?|\.\d{1,6})$/.test(text.trim()) || !(value >= 0 && value <= 1)) {
    throw new UserError(`Invalid ${option} "${text}": use a share from 0 to 1, such as 0.05.`);
  }
  return value;
}
