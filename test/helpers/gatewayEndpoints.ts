import type { Harness } from './emulatorHarness.js';

/**
 * Every endpoint node the emulator's Gateway answers for `filter` (none: the whole fleet), with the
 * `fields` selection, page after page of 1,000: what a test compares a sync with.
 */
export async function gatewayEndpoints<Node>(h: Harness, fields: string, filter?: unknown): Promise<Node[]> {
  type Page = { edges: { node: Node }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
  const nodes: Node[] = [];
  let after: string | null = null;
  for (;;) {
    const reply: { json: { data: { endpoints: Page } } } = await h.gql<{ data: { endpoints: Page } }>(
      `query ($after: Cursor, $filter: EndpointFieldFilter) { endpoints(first: 1000, after: $after, filter: $filter) {
        edges { node { ${fields} } } pageInfo { hasNextPage endCursor } } }`,
      { after, filter: filter ?? null },
    );
    const page = reply.json.data.endpoints;
    nodes.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
}
