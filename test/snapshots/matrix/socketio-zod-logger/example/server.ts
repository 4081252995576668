// A Socket.IO server that logs its connections with checkSocketioZodLogger, with a page to try it: `npm run example`, then open the URL.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { checkSocketioZodLogger } from "../src/index.js";

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>check-socketio-zod-logger example</title>
  <style>
    body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
    button { font: inherit; }
    #log { background: #f4f4f4; padding: 1rem; white-space: pre-wrap; }
  </style>
</head>
<body>
  <h1>check-socketio-zod-logger</h1>
  <p>Connect and disconnect, and watch the terminal that runs the server: one line per connection, one per disconnect.</p>
  <p><button id="connect">Connect</button>
    <button id="disconnect">Disconnect</button></p>
  <pre id="log"></pre>
  <script src="/socket.io/socket.io.js"></script>
  <script>
    const log = (line) => { document.getElementById("log").textContent += line + "\\n"; };
    let socket;
    document.getElementById("connect").onclick = () => {
      socket = io({ reconnection: false, forceNew: true });
      socket.on("connect", () => socket.emit("ping", (answer) => log("connected as " + socket.id + ", ping: " + answer)));
      socket.on("disconnect", (reason) => log("disconnected: " + reason));
    };
    document.getElementById("disconnect").onclick = () => socket?.disconnect();
  </script>
</body>
</html>
`;

// The page at /; Socket.IO itself answers /socket.io/ (the client script included).
const httpServer = createServer((req, res) => {
  if (req.url === "/" || req.url === "/index.html") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(page);
    return;
  }
  res.writeHead(404).end();
});
const io = new Server(httpServer);

io.use(checkSocketioZodLogger());

io.on("connection", (socket) => {
  socket.on("ping", (reply: (answer: string) => void) => reply("pong"));
});

httpServer.listen(Number(process.env.PORT ?? 3000), () => {
  const { port } = httpServer.address() as AddressInfo;
  console.log(`check-socketio-zod-logger example listening on http://localhost:${port}`);
});
