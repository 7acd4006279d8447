// The HTTP floor of the service benchmarks: a bare fastify server answering fixed JSON, and one load
// generator setting (autocannon, 10 connections on loopback) for it and for `serve` alike.

/** Serves `answers` (path → JSON object) with fastify and nothing else; prints `{"url"}` on stdout. */
export async function serveBare(answers) {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false });
  for (const [path, answer] of Object.entries(answers)) app.get(path, async () => answer);
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${app.server.address().port}` })}\n`);
}

/** Loads `url` for `seconds`; any non-2xx answer or error fails the run rather than skewing it. */
export async function load(url, headers, seconds) {
  const { default: autocannon } = await import('autocannon');
  const result = await autocannon({ url, connections: 10, duration: seconds, headers });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}
