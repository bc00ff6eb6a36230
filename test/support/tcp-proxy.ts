// A TCP proxy in front of a PostgreSQL server that can be frozen: while frozen it forwards nothing either
// way and holds new connections unanswered, as a server that stopped (SIGSTOP, a hung host) would look
// from the client. Thawed, it forwards everything held, as such a server would once it runs again.

import net from 'node:net';

export interface FreezableProxy {
  /** The connection string through the proxy: `target` with its host and port replaced. */
  readonly connectionString: string;
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

export async function startFreezableProxy(target: string): Promise<FreezableProxy> {
  const upstream = new URL(target);
  const sockets = new Set<net.Socket>();
  let frozen = false;

  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // the other side is destroyed with it on 'close'
    if (frozen) socket.pause();
  };
  const forward = (from: net.Socket, to: net.Socket) => {
    from.on('data', (chunk) => to.write(chunk));
    from.on('end', () => to.end());
    from.on('close', () => to.destroy());
  };

  const server = net.createServer((client) => {
    track(client);
    const server = net.connect(Number(upstream.port || 5432), upstream.hostname);
    track(server);
    forward(client, server);
    forward(server, client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const through = new URL(target);
  through.hostname = '127.0.0.1';
  through.port = String((server.address() as net.AddressInfo).port);

  return {
    connectionString: through.toString(),
    freeze() {
      frozen = true;
      for (const socket of sockets) socket.pause();
    },
    thaw() {
      frozen = false;
      for (const socket of sockets) socket.resume();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
