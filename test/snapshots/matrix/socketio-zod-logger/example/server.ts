// A Socket.IO server that logs its connections with checkSocketioZodLogger: `npm run example`.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { checkSocketioZodLogger } from "../src/index.js";

const httpServer = createServer();
const io = new Server(httpServer);

io.use(checkSocketioZodLogger());

io.on("connection", (socket) => {
  socket.on("ping", (reply: (answer: string) => void) => reply("pong"));
});

httpServer.listen(Number(process.env.PORT ?? 3000), () => {
  const { port } = httpServer.address() as AddressInfo;
  console.log(`check-socketio-zod-logger example listening on http://localhost:${port}`);
});
