import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';

/** A tiny real HTTP server on loopback, for answers the emulator never gives (HTML, redirects). */
export interface LocalServer {
  url: string;
  port: number;
  /** Every `session` header received (to prove what was or was not sent). */
  sessions: (string | undefined)[];
  close(): Promise<void>;
}

export async function startLocalHttp(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<LocalServer> {
  const sessions: (string | undefined)[] = [];
  const server = createServer((req, res) => {
    const session = req.headers['session'];
    sessions.push(Array.isArray(session) ? session[0] : session);
    handler(req, res);
  });
  return listen(server, sessions);
}

/** A TCP server that accepts connections and never answers (a black hole, for timeouts). */
export async function startSilentTcp(): Promise<LocalServer> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  const running = await listen(server, []);
  return {
    ...running,
    close: () => {
      for (const s of sockets) s.destroy();
      return running.close();
    },
  };
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  const { port, close } = await listen(server, []);
  await close();
  return port;
}

function listen(server: Server, sessions: (string | undefined)[]): Promise<LocalServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      resolve({
        url: `http://127.0.0.1:${address.port}`,
        port: address.port,
        sessions,
        close: () =>
          new Promise<void>((done) => {
            if ('closeAllConnections' in server)
              (server as { closeAllConnections(): void }).closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
