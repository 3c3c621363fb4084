// stdin -> stdout, Brotli at quality 11 with Node's built-in zlib (used by bundle.py).
import { buffer } from "node:stream/consumers";
import zlib from "node:zlib";

const data = await buffer(process.stdin);
process.stdout.write(
  zlib.brotliCompressSync(data, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  }),
);
