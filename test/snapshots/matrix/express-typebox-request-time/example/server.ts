import type { AddressInfo } from "node:net";
import express from "express";
import { checkExpressTypeboxRequestTime } from "../src/index.js";

const app = express();

app.use(checkExpressTypeboxRequestTime());

app.get("/", (req, res) => {
  res.json({ hello: "world", receivedAt: new Date(req.checkExpressTypeboxRequestTime ?? 0).toISOString() });
});

const server = app.listen(Number(process.env.PORT ?? 3000), () => {
  const { port } = server.address() as AddressInfo;
  console.log(`Listening on http://localhost:${port}`);
  console.log(`Try: curl -i http://localhost:${port}/`);
});
