// Connects to the example server from a terminal:
//   npx tsx example/client.ts [url] [credential]
// With no credential the connection is refused, showing the error the client receives.
import { io } from "socket.io-client";

const [url = "http://localhost:3000", token] = process.argv.slice(2);

const socket = io(url, { auth: token === undefined ? {} : { token }, reconnection: false });

socket.on("connect", async () => {
  const user: unknown = await socket.emitWithAck("whoami");
  console.log(`accepted as ${JSON.stringify(user)}`);
  socket.close();
});

socket.on("connect_error", (error) => {
  console.log(`refused: ${error.message}`, "data" in error ? error.data : "");
  socket.close();
  process.exitCode = 1;
});
