import { type DocumentNode, GraphQLError, type GraphQLSchema, isObjectType, parse, validate } from 'graphql';
import type { PageDefaults } from './documentMeasure.js';
import type { PageTerms } from './pageTerms.js';
import type { GatewayLimits } from './queryLimits.js';
import { checkBeforeParse, checkParsed } from './requestGuard.js';

/** A document that passed every check, with each operation's page terms. */
export interface CheckedDocument {
  document: DocumentNode;
  pages: PageTerms[];
}

/** Checked documents kept at once, by query text. */
const MAX_DOCUMENTS = 256;

/**
 * Query texts turned into documents that passed the request limits and schema validation, once per
 * distinct text; later requests reuse the checked document. The limits come first, so a hostile text
 * costs a linear scan, never graphql-js validation (quadratic in some documents) or parsing thousands of
 * levels deep (the parser recurses per level).
 */
export class CheckedDocuments {
  readonly #documents = new Map<string, CheckedDocument>();
  readonly #pageDefaults: PageDefaults;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly limits: GatewayLimits,
  ) {
    this.#pageDefaults = pageDefaults(schema);
  }

  /** The checked document, or the errors that refuse it (answered with HTTP 400). */
  check(text: string): CheckedDocument | { errors: readonly GraphQLError[] } {
    const cached = this.#documents.get(text);
    if (cached) return cached;
    const tooLarge = checkBeforeParse(text, this.limits);
    if (tooLarge) return { errors: [tooLarge] };
    let document: DocumentNode;
    try {
      document = parse(text);
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error] };
      throw error;
    }
    const measured = checkParsed(document, this.limits, this.#pageDefaults);
    if ('error' in measured) return { errors: [measured.error] };
    const invalid = validate(this.schema, document);
    if (invalid.length > 0) return { errors: invalid };
    if (this.#documents.size >= MAX_DOCUMENTS) {
      this.#documents.delete(this.#documents.keys().next().value as string);
    }
    const checked = { document, pages: measured.pages };
    this.#documents.set(text, checked);
    return checked;
  }
}

/** Fields with a `first` argument and its default (20 for `endpoints`, when no other is given). */
function pageDefaults(schema: GraphQLSchema): PageDefaults {
  const defaults = new Map<string, number>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const first = field.args.find((arg) => arg.name === 'first');
      if (first) defaults.set(field.name, typeof first.defaultValue === 'number' ? first.defaultValue : 20);
    }
  }
  return defaults;
}
