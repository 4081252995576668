import type { AddressInfo } from "node:net";
import express, { type ErrorRequestHandler } from "express";
import { checkExpressNoneAuth } from "../src/index.js";

interface User {
  name: string;
}

// Stands in for a lookup in your session store or a JWT check.
const users = new Map<string, User>([["secret", { name: "Ada" }]]);

const app = express();

app.use(checkExpressNoneAuth({ verify: async (token) => users.get(token) }));

app.get("/", (req, res) => {
  const user = req.checkExpressNoneAuth as User;
  res.json({ hello: user.name });
});

const onError: ErrorRequestHandler = (err, _req, res, _next) => {
  const { status = 500, expose = false, message } = err as { status?: number; expose?: boolean; message?: string };
  res.status(status).json({ error: expose ? message : "Internal Server Error" });
};
app.use(onError);

const server = app.listen(Number(process.env.PORT ?? 3000), () => {
  const { port } = server.address() as AddressInfo;
  console.log(`Listening on http://localhost:${port}`);
  console.log(`Try: curl -i -H "Authorization: Bearer secret" http://localhost:${port}/ (and without the header)`);
});
