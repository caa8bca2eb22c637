// The WebSocket the provider uses: the platform's (browsers, Node 22+) or,
// on Node 20, the small client of ws-node.ts loaded on demand.

export interface SocketEvents {
  onopen(): void;
  onmessage(text: string): void;
  onclose(why: string): void;
}

export interface MiniSocket {
  send(text: string): void;
  close(): void;
}

/** The shape of the standard WebSocket constructor the SDK relies on. */
export interface WebSocketLike {
  send(data: string): void;
  close(code?: number): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export async function openSocket(url: string, events: SocketEvents, ctor?: WebSocketConstructor): Promise<MiniSocket> {
  const Ctor = ctor ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (Ctor) {
    const ws = new Ctor(url);
    let closed = false;
    const done = (why: string) => {
      if (!closed) {
        closed = true;
        events.onclose(why);
      }
    };
    ws.onopen = () => events.onopen();
    ws.onmessage = (ev) => {
      const d = ev.data;
      if (typeof d === "string") events.onmessage(d);
      else if (d instanceof ArrayBuffer) events.onmessage(new TextDecoder().decode(d));
      else if (d && typeof (d as Blob).text === "function") (d as Blob).text().then((t) => events.onmessage(t));
    };
    ws.onclose = (ev) => done(`websocket: connection closed${ev?.code ? ` (code ${ev.code})` : ""}`);
    ws.onerror = () => done("websocket: connection failed");
    return {
      send: (t) => ws.send(t),
      close: () => {
        ws.close(1000);
        done("websocket: closed");
      },
    };
  }
  // A variable specifier keeps bundlers from following it into browser builds.
  const nodeModule = "./ws-node.js";
  const mod = (await import(/* @vite-ignore */ nodeModule)) as { connectNodeSocket(url: string, events: SocketEvents): MiniSocket };
  return mod.connectNodeSocket(url, events);
}
