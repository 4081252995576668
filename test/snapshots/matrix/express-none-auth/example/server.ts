import type { AddressInfo } from "node:net";
import express from "express";
import { checkExpressNoneAuth } from "../src/index.js";

interface User {
  name: string;
}

// Stands in for a lookup in your session store or a JWT check.
const users = new Map<string, User>([["secret", { name: "Ada" }]]);

const app = express();

// A refused request is answered by the middleware itself: 401, WWW-Authenticate and { error, code }.
app.use(checkExpressNoneAuth({ verify: async (token) => users.get(token) }));

app.get("/", (req, res) => {
  const user = req.checkExpressNoneAuth as User;
  res.json({ hello: user.name });
});

const server = app.listen(Number(process.env.PORT ?? 3000), () => {
  const { port } = server.address() as AddressInfo;
  console.log(`Listening on http://localhost:${port}`);
  console.log(`Try: curl -i -H "Authorization: Bearer secret" http://localhost:${port}/ (and without the header)`);
});
