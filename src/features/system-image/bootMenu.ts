// The GRUB menu of an installed system, written by Tandem (never by grub-mkconfig): one entry per
// image, the default from the environment block, and a one-shot trial entry for upgrades.
//
// Upgrade with rollback: `add system image` sets tandem_trial (and tandem_pending). GRUB boots the
// trial image once and clears tandem_trial before booting it, so any failure that reboots the
// machine (a kernel or initramfs panic reboots after panic=10; the boot check reboots when tandemd
// never comes up) lands on saved_entry, the image that worked before.

// Entry ids are image-<name>, never the bare name: GRUB reads a default that starts with a digit
// ("0.1.0-next") as an entry number (0) and boots the first entry instead.

export interface BootMenuInput {
  /** File system UUID of the system disk (holds /boot/<version>/ and /boot/grub). */
  uuid: string;
  /** Installed images, in menu order. */
  images: readonly string[];
  /** The environment blocks that may hold the trial flag (see trialEnv.ts), by UUID and path. */
  trialEnvs: readonly { uuid: string; path: string }[];
}

/** Takes a trial flag out of one environment block (cleared there before it is used). */
const trialCheck = (env: {
  uuid: string;
  path: string;
}) => `if search --no-floppy --fs-uuid --set=tandem_env ${env.uuid}; then
  set tandem_trial=
  load_env --file (\${tandem_env})${env.path} tandem_trial
  if [ -n "\${tandem_trial}" ]; then
    set tandem_next="\${tandem_trial}"
    set tandem_trial=
    save_env --file (\${tandem_env})${env.path} tandem_trial
  fi
fi
`;

// Classic interface names (eth0, eth1…): the names the configuration uses, stable across boards.
const KERNEL_ARGS = 'net.ifnames=0 console=tty0 console=ttyS0,115200n8';

export function renderBootMenu({ uuid, images, trialEnvs }: BootMenuInput): string {
  const entries = images.map(
    (v) => `menuentry "Tandem ${v}" --id image-${v} {
  search --no-floppy --fs-uuid --set=root ${uuid}
  linux /boot/${v}/vmlinuz boot=tandem tandem.disk=${uuid} tandem.image=${v} panic=10 quiet ${KERNEL_ARGS}
  initrd /boot/${v}/initrd.img
}`,
  );
  return `# Written by Tandem (system image commands); changes here are overwritten.
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set timeout=3
load_env
set default="image-\${saved_entry}"
set tandem_next=
${trialEnvs.map(trialCheck).join('')}if [ -n "\${tandem_next}" ]; then
  set default="image-\${tandem_next}"
fi
${entries.join('\n')}
`;
}
