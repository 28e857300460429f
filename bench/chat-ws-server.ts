// The reference for the chat benchmark: a minimal Node `ws` server that relays each frame to every client.
// Usage: node bench/chat-ws-server.ts <port>   (prints "ready" once listening)
import { WebSocketServer } from "ws";

const port = Number(process.argv[2]);
const server = new WebSocketServer({ host: "127.0.0.1", port });
server.on("connection", (socket) => {
  socket.on("message", (data, isBinary) => {
    for (const client of server.clients) if (client.readyState === client.OPEN) client.send(data, { binary: isBinary });
  });
});
server.on("listening", () => process.stdout.write("ready\n"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
