import { createServer, request as forward, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Between the client and the gateway: passes requests on, and for the next `drop` of them lets the
 * gateway answer and then cuts the client's connection instead of passing the answer back, the way
 * a broken network or a restarted load balancer loses an answer.
 */
export class LossyProxy {
  /** The Idempotency-Key of every request that came through, in order. */
  readonly keys: (string | undefined)[] = [];
  drop = 0;
  private readonly server: Server;

  private constructor(target: URL) {
    this.server = createServer((incoming, outgoing) => {
      this.keys.push(incoming.headers["idempotency-key"] as string | undefined);
      const lose = this.drop > 0;
      if (lose) {
        this.drop--;
      }
      const upstream = forward(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (answer) => {
          if (lose) {
            answer.resume();
            answer.on("end", () => incoming.socket.destroy());
            return;
          }
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      incoming.pipe(upstream);
    });
  }

  static async start(target: string): Promise<LossyProxy> {
    const proxy = new LossyProxy(new URL(target));
    await new Promise<void>((resolve) => proxy.server.listen(0, "127.0.0.1", resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
