import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

/** Only bounds a start that never ends; a healthy one takes seconds. */
const START_LIMIT_MS = 180_000;
const LISTENING = /Listening on: http:\/\/127\.0\.0\.1:(\d+)/;

/**
 * The gateway as production runs it: the packaged jar (target/quarkus-app, built by ./mvnw verify or
 * package), prod profile, configured by environment variables alone, on loopback ports it picks itself.
 */
export class PackagedGateway {
  private readonly output: string[] = [];

  private constructor(
    private readonly process: ChildProcess,
    readonly url: string,
  ) {}

  static async start(environment: Record<string, string>): Promise<PackagedGateway> {
    const jar = process.env.GATEWAY_JAR ?? resolve("..", "..", "target", "quarkus-app", "quarkus-run.jar");
    if (!existsSync(jar)) {
      throw new Error(`${jar} is missing: build the gateway first (./mvnw package -DskipTests)`);
    }
    const java = process.env.JAVA_HOME ? resolve(process.env.JAVA_HOME, "bin", "java") : "java";
    const child = spawn(java, ["-jar", jar], {
      // nothing inherited but what the JVM needs to run: the gateway sees only its own configuration
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        QUARKUS_HTTP_HOST: "127.0.0.1",
        QUARKUS_HTTP_PORT: "0",
        QUARKUS_MANAGEMENT_HOST: "127.0.0.1",
        QUARKUS_MANAGEMENT_PORT: "0",
        ...environment,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    stopOnExit(child);
    const lines: string[] = [];
    const port = await new Promise<string>((resolvePort, reject) => {
      const timer = setTimeout(() => reject(new Error(`the gateway did not start:\n${lines.join("\n")}`)), START_LIMIT_MS);
      const read = (chunk: Buffer) => {
        for (const line of chunk.toString("utf8").split("\n")) {
          lines.push(line);
          const listening = LISTENING.exec(line);
          if (listening?.[1]) {
            clearTimeout(timer);
            resolvePort(listening[1]);
          }
        }
      };
      child.stdout?.on("data", read);
      child.stderr?.on("data", read);
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the gateway stopped during its start (exit ${code}):\n${lines.join("\n")}`));
      });
    });
    const gateway = new PackagedGateway(child, `http://127.0.0.1:${port}`);
    gateway.output.push(...lines);
    const keep = (chunk: Buffer) => gateway.output.push(...chunk.toString("utf8").split("\n"));
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    return gateway;
  }

  /** Everything the gateway wrote so far: for a failing test's message. */
  log(): string {
    return this.output.join("\n");
  }

  /** SIGTERM, as a platform stops it; SIGKILL if it has not stopped after its graceful shutdown. */
  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) {
      return;
    }
    const exited = new Promise((resolveExit) => this.process.once("exit", resolveExit));
    this.process.kill("SIGTERM");
    const killer = setTimeout(() => this.process.kill("SIGKILL"), 20_000);
    await exited;
    clearTimeout(killer);
  }
}

/** X-Api-Key -> the hex SHA-256 the gateway is configured with. */
export function sha256(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** However the test process ends (a failed assertion, an exception, Ctrl-C), the JVM goes with it. */
function stopOnExit(child: ChildProcess): void {
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
    }
  };
  process.once("exit", kill);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      kill();
      process.exit(1);
    });
  }
}
