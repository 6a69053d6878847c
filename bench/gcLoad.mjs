// A garbage-collection-heavy JavaScript load for the VRRP stability benchmark: loaded into
// tandemd with `node --import` (or run on its own for a baseline daemon that has no JavaScript).
// Keeps a churning set of ~100 MB of small objects alive, so the heap sees constant minor and
// regular major collections, and never yields for more than a millisecond.
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';

const live = [];
const SLOTS = 400;
let next = 0;
function churn() {
  const until = performance.now() + 20;
  while (performance.now() < until) {
    const batch = new Array(2000);
    for (let i = 0; i < batch.length; i++) batch[i] = { i, s: `x${i}`, a: [i, i + 1] };
    live[next] = batch;
    next = (next + 1) % SLOTS;
  }
  setTimeout(churn, 1);
}
churn();
