import { GraphQLError, Lexer, Source, type Token, TokenKind } from 'graphql';

/** How deeply a document's text nests, measured before parsing (the parser recurses per level). */
export interface TextNesting {
  /** Deepest nesting of selection sets `{ … }`, inline fragments included. */
  selections: number;
  /** Deepest nesting of list and object values `[ … ]`, `{ … }` in arguments and defaults. */
  values: number;
}

type Frame = 'selection' | 'value' | 'arguments';

/**
 * Scans the tokens of `text` (graphql-js's own lexer, so strings, block strings and comments are read
 * exactly as the parser will) and tracks what each bracket opens: a `{` inside arguments or a value
 * is an object value, any other `{` a selection set. Linear in the text, no recursion. A lexical error
 * stops the scan; parsing reports it.
 */
export function textNesting(text: string): TextNesting {
  const result: TextNesting = { selections: 0, values: 0 };
  const frames: Frame[] = [];
  let selections = 0;
  let values = 0;
  const lexer = new Lexer(new Source(text));
  let token: Token;
  try {
    token = lexer.advance();
  } catch (error) {
    if (error instanceof GraphQLError) return result;
    throw error;
  }
  while (token.kind !== TokenKind.EOF) {
    const open = opened(token.kind, frames[frames.length - 1]);
    if (open !== undefined) {
      frames.push(open);
      if (open === 'selection') result.selections = Math.max(result.selections, ++selections);
      if (open === 'value') result.values = Math.max(result.values, ++values);
    } else if (closes(token.kind)) {
      const closed = frames.pop();
      if (closed === 'selection') selections--;
      if (closed === 'value') values--;
    }
    try {
      token = lexer.advance();
    } catch (error) {
      if (error instanceof GraphQLError) return result;
      throw error;
    }
  }
  return result;
}

function opened(kind: TokenKind, inside: Frame | undefined): Frame | undefined {
  if (kind === TokenKind.PAREN_L) return 'arguments';
  if (kind === TokenKind.BRACKET_L) return 'value';
  if (kind === TokenKind.BRACE_L) return inside === 'arguments' || inside === 'value' ? 'value' : 'selection';
  return undefined;
}

function closes(kind: TokenKind): boolean {
  return kind === TokenKind.PAREN_R || kind === TokenKind.BRACKET_R || kind === TokenKind.BRACE_R;
}
