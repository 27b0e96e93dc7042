// run.mjs: runs s3rver on loopback for the storage tests.
//
// Copyright 2026 The Bough authors
// SPDX-License-Identifier: Apache-2.0
//
// usage: node run.mjs DIRECTORY BUCKET [PORT]
// Prints "listening on http://127.0.0.1:PORT" once it accepts requests (PORT 0
// or absent: a free one), then serves until SIGTERM, SIGINT or the end of stdin
// (so it never outlives a test that dies).
import S3rver from 's3rver';

const [directory, bucket, port = '0'] = process.argv.slice(2);
if (!directory || !bucket) {
  console.error('usage: node run.mjs DIRECTORY BUCKET [PORT]');
  process.exit(2);
}
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory,
  silent: true,
  configureBuckets: [{ name: bucket }],
});
const address = await server.run();
process.stdout.write(`listening on http://127.0.0.1:${address.port}\n`);
const stop = () => server.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (!process.argv.includes('--no-stdin')) {
  process.stdin.on('end', stop);
  process.stdin.resume();
}
