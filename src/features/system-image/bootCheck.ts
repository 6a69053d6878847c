// The first boot of an upgrade: when tandemd comes up on the trial image, it becomes the default;
// when it does not within the time allowed, the machine reboots onto the previous default (GRUB
// cleared the one-shot trial entry before booting it). Run once per boot by
// tandem-boot-check.service.
import type { ImageStore } from './store.js';

export type BootCheckResult = 'no-trial' | 'confirmed' | 'rolled-back' | 'did-not-boot';

export interface BootCheckDeps {
  store: ImageStore;
  /** Whether tandemd answers. */
  ready: () => Promise<boolean>;
  timeoutMs: number;
  pollMs?: number;
  reboot: () => Promise<void>;
  log: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export async function bootCheck(d: BootCheckDeps): Promise<BootCheckResult> {
  const sleep = d.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = d.now ?? Date.now;
  const state = await d.store.bootState();
  const running = d.store.runningImage;
  if (!state.pending) return 'no-trial';
  if (state.pending !== running) {
    // The trial boot never reached user space (a panic rebooted it) and GRUB fell back here.
    await d.store.settleTrial({ failed: state.pending });
    d.log(`image ${state.pending} did not boot; still running ${running} (the default boot image)`);
    return 'did-not-boot';
  }
  const deadline = now() + d.timeoutMs;
  for (;;) {
    if (await d.ready()) {
      await d.store.settleTrial({ confirmed: running });
      d.log(`image ${running} reached tandemd: it is now the default boot image`);
      return 'confirmed';
    }
    if (now() >= deadline) break;
    await sleep(d.pollMs ?? 1000);
  }
  await d.store.settleTrial({ failed: running });
  d.log(
    `image ${running} did not reach tandemd within ${Math.round(d.timeoutMs / 1000)} s: rebooting into ${state.defaultBoot ?? 'the default image'}`,
  );
  await d.reboot();
  return 'rolled-back';
}
