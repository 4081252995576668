// A Socket.IO server protected by checkSocketioZodAuth, with a page to try it: `npm run example`, then open the URL.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { checkSocketioZodAuth, type CheckSocketioZodAuthSocketData } from "../src/index.js";

interface User {
  name: string;
}

// Stands in for a lookup in your session store or a JWT check.
const users = new Map<string, User>([["secret", { name: "Ada" }]]);

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>check-socketio-zod-auth example</title>
  <style>
    body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
    input, button { font: inherit; }
    #log { background: #f4f4f4; padding: 1rem; white-space: pre-wrap; }
  </style>
</head>
<body>
  <h1>check-socketio-zod-auth</h1>
  <p>Connect with the credential <code>secret</code> to be accepted; anything else, or nothing, is refused.</p>
  <p>
    <input id="token" value="secret" aria-label="Credential">
    <button id="connect">Connect</button>
    <button id="anonymous">Connect without a credential</button>
  </p>
  <pre id="log"></pre>
  <script src="/socket.io/socket.io.js"></script>
  <script>
    const log = (line) => { document.getElementById("log").textContent += line + "\\n"; };
    function connect(auth) {
      const socket = io({ auth, reconnection: false });
      socket.on("connect", () => {
        socket.emit("whoami", (user) => log("accepted: " + JSON.stringify(user)));
        socket.disconnect();
      });
      socket.on("connect_error", (err) => log("refused: " + err.message + " " + JSON.stringify(err.data)));
    }
    document.getElementById("connect").onclick = () => connect({ token: document.getElementById("token").value });
    document.getElementById("anonymous").onclick = () => connect({});
  </script>
</body>
</html>
`;

const httpServer = createServer((req, res) => {
  if (req.url === "/" || req.url === "/index.html") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(page);
    return;
  }
  res.writeHead(404).end();
});

const io = new Server<
  { whoami: (reply: (user: User | null) => void) => void },
  Record<string, never>,
  Record<string, never>,
  CheckSocketioZodAuthSocketData<User>
>(httpServer);

io.use(checkSocketioZodAuth({ verify: async (token) => users.get(token) }));

io.on("connection", (socket) => {
  console.log(`accepted ${socket.id} as ${socket.data.checkSocketioZodAuth?.name}`);
  socket.on("whoami", (reply) => reply(socket.data.checkSocketioZodAuth ?? null));
});

const port = Number(process.env.PORT ?? 3000);
httpServer.listen(port, () => {
  const { port: actual } = httpServer.address() as AddressInfo;
  console.log(`check-socketio-zod-auth example listening on http://localhost:${actual}`);
  console.log(`try it from a terminal: npx tsx example/client.ts http://localhost:${actual} secret`);
});
