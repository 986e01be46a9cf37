import { hash } from 'node:crypto';
import { RecentDigests } from '../src-main/gateway/RecentDigests.ts';
const d = new RecentDigests();
const prefix = JSON.stringify(['bench', ['openai', 'http://127.0.0.1:1234/v1'], 'bench-model']);
const mk = (i: number) => prefix + JSON.stringify([[{ role: 'user', content: `Say hello, number ${i % 20}.` }], null, null, null, null, null]);
const time = (label: string, fn: (i: number) => unknown) => { for (let r = 0; r < 3; r++) { const N = 300000; const t = performance.now(); for (let i = 0; i < N; i++) fn(i); if (r === 2) console.log(label.padEnd(20), ((performance.now() - t) / N * 1e6).toFixed(0), 'ns'); } };
time('mk only', (i) => mk(i));
time('mk+hash', (i) => hash('sha256', mk(i)));
time('mk+recent', (i) => d.sha256(mk(i)));
