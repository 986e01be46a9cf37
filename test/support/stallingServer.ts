import { createServer, type Server, type Socket } from 'node:net';

export interface StallingServer {
  url: string;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * A loopback TCP server that accepts connections and then stalls, to stand for a host that
 * cannot be reached or hangs: `silent` never answers a byte; `headers` answers each request
 * (ranges too) with HTTP headers announcing a large GGUF file, sends at most its first 4 bytes,
 * and then nothing.
 * Never contacts anything; `close` drops every connection it holds.
 */
export async function startStallingServer(mode: 'silent' | 'headers'): Promise<StallingServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (mode === 'silent') return;
    let seen = '';
    socket.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (!seen.includes('\r\n\r\n')) return;
      const range = /^range: bytes=(\d+)-(\d*)\r$/im.exec(seen);
      seen = '';
      const size = 64 * 1024 * 1024;
      const head = 'Content-Type: application/octet-stream\r\nAccept-Ranges: bytes\r\nContent-Disposition: attachment; filename="stall.gguf"';
      if (!range) {
        socket.write(`HTTP/1.1 200 OK\r\n${head}\r\nContent-Length: ${size}\r\n\r\nGGUF`);
        return;
      }
      const start = Number(range[1]);
      const end = range[2] ? Number(range[2]) : size - 1;
      socket.write(`HTTP/1.1 206 Partial Content\r\n${head}\r\nContent-Range: bytes ${start}-${end}/${size}\r\nContent-Length: ${end - start + 1}\r\n\r\n${start === 0 ? 'GGUF' : ''}`);
    });
  });
  let accepted = 0;
  server.on('connection', () => (accepted += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/stall.gguf`,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
