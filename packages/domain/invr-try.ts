import { renderInvoicePdf } from './src/invoices/invoice-pdf.ts';
import { B2B_MIXED } from './test/invoice-document-fixtures.ts';
for (let i = 0; i < 5; i++) await renderInvoicePdf(B2B_MIXED);
const t = performance.now();
for (let i = 0; i < 50; i++) await renderInvoicePdf(B2B_MIXED);
console.log(((performance.now() - t) / 50).toFixed(1), 'ms/render');
