import { loadavg } from 'node:os';
import { buildInvoiceCii } from '../packages/domain/src/invoices/invoice-cii.ts';
import { fmt } from './harness.ts';
import { renderAlone, sampleDocument } from './invoice-render-alone.ts';

// Rendering 10,000 issued invoices' artefacts (PDF/A-3, Factur-X CII for the business half, JSON
// snapshot) with no database: the absolute time, and the CII alone for scale. `--count N` or
// BENCH_INVOICES=N for a shorter run. The issuing bench (numbering, mentions, storage, event)
// divides by renderAlone() measured in its own run.
// Measured 2026-12-07 on the shared 2-core machine (load average 6-18): 10,000 invoices in 287 s,
// 28.7 ms each (PDF/A-3 with DejaVu subsets, pako deflate and fontkit encoding are most of it);
// the CII alone 0.13 ms.
const flag = process.argv.indexOf('--count');
const COUNT = Number(flag >= 0 ? process.argv[flag + 1] : (process.env.BENCH_INVOICES ?? 10_000));
if (!Number.isSafeInteger(COUNT) || COUNT < 1) throw new Error('--count takes a positive integer');

await renderAlone(Math.min(40, COUNT)); // warm-up: fonts parsed, code compiled
const run = await renderAlone(COUNT);

const ciiStarted = performance.now();
for (let i = 0; i < COUNT; i++) buildInvoiceCii(sampleDocument(i));
const ciiMs = performance.now() - ciiStarted;

console.log(`invoice rendering alone, ${fmt(COUNT)} invoices (${run.pdfs} PDFs, ${run.xmls} CII), load average ${loadavg()[0]!.toFixed(1)}`);
console.log(`  artefacts: ${(run.ms / 1000).toFixed(1)} s, ${(run.ms / COUNT).toFixed(2)} ms per invoice, ${fmt(Math.round((COUNT * 1000) / run.ms))} invoices/s, ${(run.bytes / COUNT / 1024).toFixed(1)} KiB per invoice`);
console.log(`  CII alone: ${(ciiMs / 1000).toFixed(2)} s, ${(ciiMs / COUNT).toFixed(3)} ms per invoice`);
console.log(`  rss ${fmt(Math.round(process.memoryUsage().rss / 1024 / 1024))} MiB`);
