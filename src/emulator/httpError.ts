/**
 * An error the emulator answers with. `code` is Tanium's error name (e.g. `APITokenNotFound`),
 * which REST clients find at the start of the `text` body: `{"text": "APITokenNotFound: …"}`.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  get text(): string {
    return `${this.code}: ${this.message}`;
  }
}

export const badBody = (message: string): HttpError => new HttpError(400, 'InvalidJSONBody', message);
