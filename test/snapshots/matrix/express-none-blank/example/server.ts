import type { AddressInfo } from "node:net";
import express from "express";
import { checkExpressNoneBlank } from "../src/index.js";

const app = express();

app.use(checkExpressNoneBlank());

app.get("/", (_req, res) => {
  res.json({ hello: "world" });
});

const server = app.listen(Number(process.env.PORT ?? 3000), () => {
  const { port } = server.address() as AddressInfo;
  console.log(`Listening on http://localhost:${port}`);
  console.log(`Try: curl -i http://localhost:${port}/`);
});
