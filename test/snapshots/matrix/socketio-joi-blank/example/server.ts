// A Socket.IO server that uses checkSocketioJoiBlank: `npm run example`.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { checkSocketioJoiBlank } from "../src/index.js";

const httpServer = createServer();
const io = new Server(httpServer);

io.use(checkSocketioJoiBlank());

io.on("connection", (socket) => {
  console.log(`connected: ${socket.id}`);
  socket.on("ping", (reply: (answer: string) => void) => reply("pong"));
});

httpServer.listen(Number(process.env.PORT ?? 3000), () => {
  const { port } = httpServer.address() as AddressInfo;
  console.log(`check-socketio-joi-blank example listening on http://localhost:${port}`);
});
