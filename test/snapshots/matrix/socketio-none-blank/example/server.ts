// A Socket.IO server that uses checkSocketioNoneBlank, with a page to try it: `npm run example`, then open the URL.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { checkSocketioNoneBlank } from "../src/index.js";

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>check-socketio-none-blank example</title>
  <style>
    body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
    button { font: inherit; }
    #log { background: #f4f4f4; padding: 1rem; white-space: pre-wrap; }
  </style>
</head>
<body>
  <h1>check-socketio-none-blank</h1>
  <p>Each click opens a connection through the middleware and sends a ping; the server answers pong.</p>
  <p><button id="connect">Connect and ping</button></p>
  <pre id="log"></pre>
  <script src="/socket.io/socket.io.js"></script>
  <script>
    const log = (line) => { document.getElementById("log").textContent += line + "\\n"; };
    document.getElementById("connect").onclick = () => {
      const socket = io({ reconnection: false, forceNew: true });
      socket.on("connect", () => socket.emit("ping", (answer) => {
        log("connected as " + socket.id + ", ping: " + answer);
        socket.disconnect();
      }));
      socket.on("connect_error", (err) => log("refused: " + err.message));
    };
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

io.use(checkSocketioNoneBlank());

io.on("connection", (socket) => {
  console.log(`connected: ${socket.id}`);
  socket.on("ping", (reply: (answer: string) => void) => reply("pong"));
});

httpServer.listen(Number(process.env.PORT ?? 3000), () => {
  const { port } = httpServer.address() as AddressInfo;
  console.log(`check-socketio-none-blank example listening on http://localhost:${port}`);
});
