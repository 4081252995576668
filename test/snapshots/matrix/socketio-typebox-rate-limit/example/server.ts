// A Socket.IO server that limits connections with checkSocketioTypeboxRateLimit: `npm run example`.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { checkSocketioTypeboxRateLimit } from "../src/index.js";

const httpServer = createServer();
const io = new Server(httpServer);

// A small limit, so that a few connections in a row show a refusal.
io.use(checkSocketioTypeboxRateLimit({ limit: 3 }));

io.on("connection", (socket) => {
  socket.on("ping", (reply: (answer: string) => void) => reply("pong"));
});

httpServer.listen(Number(process.env.PORT ?? 3000), () => {
  const { port } = httpServer.address() as AddressInfo;
  console.log(`check-socketio-typebox-rate-limit example listening on http://localhost:${port}`);
});
