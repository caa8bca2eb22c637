// A small RFC 6455 client for Node.js versions without a global WebSocket
// (Node 20). Loaded only there, so browser bundles never touch node: modules.
import { createHash, randomBytes } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import type { Duplex } from "node:stream";
import type { MiniSocket, SocketEvents } from "./ws.js";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export function connectNodeSocket(url: string, events: SocketEvents): MiniSocket {
  const u = new URL(url);
  const secure = u.protocol === "wss:";
  const key = randomBytes(16).toString("base64");
  const req = (secure ? https : http).request({
    host: u.hostname,
    port: u.port || (secure ? 443 : 80),
    path: u.pathname + u.search,
    headers: {
      Connection: "Upgrade",
      Upgrade: "websocket",
      "Sec-WebSocket-Key": key,
      "Sec-WebSocket-Version": "13",
    },
  });
  let sock: Duplex | null = null;
  let closed = false;
  const finish = (why: string) => {
    if (closed) return;
    closed = true;
    sock?.destroy();
    events.onclose(why);
  };
  req.on("error", (e) => finish(`websocket: ${e.message}`));
  req.on("response", (res) => {
    finish(`websocket: the server answered HTTP ${res.statusCode} instead of upgrading`);
    res.resume();
  });
  req.on("upgrade", (res, socket, head) => {
    const expect = createHash("sha1").update(key + GUID).digest("base64");
    if (res.headers["sec-websocket-accept"] !== expect) {
      socket.destroy();
      finish("websocket: bad Sec-WebSocket-Accept");
      return;
    }
    sock = socket;
    socket.setNoDelay?.(true);
    let buf: Buffer = head.length ? Buffer.from(head) : Buffer.alloc(0);
    let parts: Buffer[] = [];
    const onData = (chunk?: Buffer) => {
      if (chunk) buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      for (;;) {
        if (buf.length < 2) return;
        const fin = (buf[0]! & 0x80) !== 0;
        const op = buf[0]! & 0x0f;
        const masked = (buf[1]! & 0x80) !== 0;
        let len = buf[1]! & 0x7f;
        let at = 2;
        if (len === 126) {
          if (buf.length < 4) return;
          len = buf.readUInt16BE(2);
          at = 4;
        } else if (len === 127) {
          if (buf.length < 10) return;
          const big = buf.readBigUInt64BE(2);
          if (big > BigInt(Number.MAX_SAFE_INTEGER)) return finish("websocket: frame too large");
          len = Number(big);
          at = 10;
        }
        const maskAt = at;
        if (masked) at += 4;
        if (buf.length < at + len) return;
        let payload = buf.subarray(at, at + len);
        if (masked) {
          const m = buf.subarray(maskAt, maskAt + 4);
          payload = Buffer.from(payload.map((b, i) => b ^ m[i & 3]!));
        }
        buf = buf.subarray(at + len);
        if (op === 0x8) {
          sendFrame(0x8, payload.subarray(0, 2));
          return finish("websocket: closed by the server" + (payload.length >= 2 ? ` (code ${payload.readUInt16BE(0)})` : ""));
        }
        if (op === 0x9) {
          sendFrame(0xa, payload);
          continue;
        }
        if (op === 0xa) continue;
        if (op === 0x1 || op === 0x2 || op === 0x0) {
          parts.push(Buffer.from(payload));
          if (fin) {
            const text = Buffer.concat(parts).toString("utf8");
            parts = [];
            events.onmessage(text);
          }
        }
      }
    };
    socket.on("data", onData);
    socket.on("close", () => finish("websocket: connection closed"));
    socket.on("error", (e) => finish(`websocket: ${e.message}`));
    events.onopen();
    if (buf.length) onData();
  });
  req.end();

  function sendFrame(op: number, payload: Buffer): void {
    if (!sock || closed) return;
    const n = payload.length;
    const head = n < 126 ? Buffer.alloc(2) : n < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
    head[0] = 0x80 | op;
    if (n < 126) head[1] = 0x80 | n;
    else if (n < 65536) {
      head[1] = 0x80 | 126;
      head.writeUInt16BE(n, 2);
    } else {
      head[1] = 0x80 | 127;
      head.writeBigUInt64BE(BigInt(n), 2);
    }
    const mask = randomBytes(4);
    const body = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) body[i] = payload[i]! ^ mask[i & 3]!;
    sock.write(Buffer.concat([head, mask, body]));
  }

  return {
    send(text: string) {
      sendFrame(0x1, Buffer.from(text, "utf8"));
    },
    close() {
      if (closed) return;
      const code = Buffer.alloc(2);
      code.writeUInt16BE(1000, 0);
      sendFrame(0x8, code);
      sock?.end();
      if (!sock) req.destroy();
      finish("websocket: closed");
    },
  };
}
