import { UserError } from '../common/userError.js';

/** The workflow integration guide's message for an empty required field (API Domain, API Token). */
export const REQUIRED_MESSAGE = 'This field is required';

export function requiredError(): UserError {
  return new UserError(REQUIRED_MESSAGE);
}
