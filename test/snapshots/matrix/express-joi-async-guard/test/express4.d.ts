// The tests run against Express 4 too, installed under the name "express4"; its API, as used here, is
// the one @types/express describes.
declare module "express4" {
  import express from "express";
  export default express;
}
