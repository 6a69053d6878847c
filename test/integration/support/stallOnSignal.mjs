// Loaded into tandemd with `node --import` by a test: on SIGUSR2 the main JavaScript thread
// spins for STALL_MS (a long GC pause or a blocked event loop), native threads keep running.
import process from 'node:process';

const ms = Number(process.env.STALL_MS ?? 8000);
process.on('SIGUSR2', () => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy: nothing on the event loop runs meanwhile
  }
});
