/**
 * A small client for the controller's local API. It is on the plugin's start-up path: node:http
 * only, loaded on first use (standalone mode never pays for it). Errors come back as CniError with the controller's code; an unreachable controller is
 * "try again later" (11) and names the socket.
 */
import { CniCode, CniError } from "../../plugin/cni/errors.js";
import { ApiPath, type ApiErrorBody, type Attachment, type AttachRequest, type ControllerStatus, type FlowsInstalled } from "./protocol.js";

export class ControllerClient {
  constructor(
    readonly socketPath: string,
    private readonly timeoutMs = 30_000,
  ) {}

  attach(req: AttachRequest): Promise<Attachment> {
    return this.call("POST", ApiPath.attachments, req);
  }

  /** Idempotent: succeeds when the attachment is already gone. */
  async release(containerId: string, ifname: string): Promise<void> {
    await this.call("DELETE", ApiPath.attachment(containerId, ifname));
  }

  getAttachment(containerId: string, ifname: string): Promise<Attachment> {
    return this.call("GET", ApiPath.attachment(containerId, ifname));
  }

  waitFlows(containerId: string, ifname: string, waitMs: number): Promise<FlowsInstalled> {
    return this.call("GET", `${ApiPath.attachmentFlows(containerId, ifname)}?waitMs=${waitMs}`, undefined, waitMs + 5_000);
  }

  status(): Promise<ControllerStatus> {
    return this.call("GET", ApiPath.status);
  }

  async call<T>(method: string, path: string, body?: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const { request } = await import("node:http");
    return new Promise<T>((resolve, reject) => {
      const req = request(
        {
          socketPath: this.socketPath,
          method,
          path,
          headers: payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve((text === "" ? undefined : JSON.parse(text)) as T);
            reject(this.toError(status, text, method, path));
          });
          res.on("error", (err) => reject(this.unreachable(err)));
        },
      );
      req.on("timeout", () => req.destroy(new CniError(CniCode.TryAgainLater, `controller at ${this.socketPath} did not answer ${method} ${path} within ${timeoutMs} ms`)));
      req.on("error", (err) => reject(err instanceof CniError ? err : this.unreachable(err)));
      req.end(payload);
    });
  }

  private toError(status: number, text: string, method: string, path: string): CniError {
    try {
      const body = JSON.parse(text) as ApiErrorBody;
      if (typeof body.code === "number" && typeof body.msg === "string") return new CniError(body.code, body.msg, body.details);
    } catch {
      // not our error body: fall through
    }
    return new CniError(CniCode.IoFailure, `controller answered ${method} ${path} with HTTP ${status}: ${text.slice(0, 200)}`);
  }

  private unreachable(err: Error): CniError {
    return new CniError(CniCode.TryAgainLater, `controller not reachable at ${this.socketPath}: ${err.message}`, undefined, { cause: err });
  }
}
