// A Socket.IO server that limits connections with checkSocketioTypeboxRateLimit, with a page to try it: `npm run example`, then open the URL.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { checkSocketioTypeboxRateLimit } from "../src/index.js";

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>check-socketio-typebox-rate-limit example</title>
  <style>
    body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
    button { font: inherit; }
    #log { background: #f4f4f4; padding: 1rem; white-space: pre-wrap; }
  </style>
</head>
<body>
  <h1>check-socketio-typebox-rate-limit</h1>
  <p>Each click opens a new connection. Within the limit it is accepted; past it, refused with the seconds to wait.</p>
  <p><button id="connect">Connect</button></p>
  <pre id="log"></pre>
  <script src="/socket.io/socket.io.js"></script>
  <script>
    const log = (line) => { document.getElementById("log").textContent += line + "\\n"; };
    document.getElementById("connect").onclick = () => {
      const socket = io({ reconnection: false, forceNew: true });
      socket.on("connect", () => {
        log("accepted: " + socket.id);
        socket.disconnect();
      });
      socket.on("connect_error", (err) => log("refused: " + err.message + " " + JSON.stringify(err.data)));
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

// A small limit, so that a few connections in a row show a refusal.
io.use(checkSocketioTypeboxRateLimit({ limit: 3 }));

io.on("connection", (socket) => {
  socket.on("ping", (reply: (answer: string) => void) => reply("pong"));
});

httpServer.listen(Number(process.env.PORT ?? 3000), () => {
  const { port } = httpServer.address() as AddressInfo;
  console.log(`check-socketio-typebox-rate-limit example listening on http://localhost:${port}`);
});
