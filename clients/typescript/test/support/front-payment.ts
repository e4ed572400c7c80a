import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Call {
  orderUuid: string;
  authorization: string | undefined;
  body: unknown;
}

const ACCEPTED = JSON.stringify({
  status_code: 202,
  status_message: "OK",
  message: "resentOrderSuccessfully",
  is_data: true,
  data: null,
});

/**
 * A stand-in for Front Payment's resend endpoint on loopback: answers 202 with its envelope, counts
 * every call per order, and can hold an order's calls until the test releases them.
 */
export class FrontPayment {
  readonly calls: Call[] = [];
  private readonly held = new Map<string, Promise<void>>();
  private readonly server: Server;

  private constructor(server: Server) {
    this.server = server;
  }

  static async start(): Promise<FrontPayment> {
    const frontPayment: FrontPayment = new FrontPayment(
      createServer((request, response) => {
        void frontPayment.answer(request).then(() => {
          response.writeHead(202, { "Content-Type": "application/json" }).end(ACCEPTED);
        });
      }),
    );
    await new Promise<void>((resolve) => frontPayment.server.listen(0, "127.0.0.1", resolve));
    return frontPayment;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  callsFor(orderUuid: string): Call[] {
    return this.calls.filter((call) => call.orderUuid === orderUuid);
  }

  /** Calls for this order wait for the returned function; answered 202 when it is called. */
  hold(orderUuid: string): () => void {
    let release!: () => void;
    this.held.set(orderUuid, new Promise<void>((resolve) => (release = resolve)));
    return release;
  }

  /** Resolves once Front Payment has seen a call for this order. */
  async reached(orderUuid: string): Promise<void> {
    while (this.callsFor(orderUuid).length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async answer(request: IncomingMessage): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) {
      chunks.push(chunk as Buffer);
    }
    const orderUuid = decodeURIComponent((request.url ?? "").split("/").pop() ?? "");
    this.calls.push({
      orderUuid,
      authorization: request.headers.authorization,
      body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
    });
    await this.held.get(orderUuid);
  }
}
