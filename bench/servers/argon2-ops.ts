import { hash } from '@node-rs/argon2';

// The baseline of login: argon2id hashes (the parameters of packages/domain) with the same
// concurrency as the HTTP load, for `seconds`; prints ops/s.
const concurrency = Number(process.argv[2] ?? 16);
const seconds = Number(process.argv[3] ?? 6);
const options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
let done = 0;
const until = Date.now() + seconds * 1000;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (Date.now() < until) {
      await hash('correct horse battery staple', options);
      done++;
    }
  }),
);
console.log(JSON.stringify({ opsPerSecond: done / seconds }));
