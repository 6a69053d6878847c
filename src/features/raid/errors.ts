// The error of every RAID 1 command (format like, add/delete raid member, show raid/disk).
import { TandemError } from '../../errors.js';

export class RaidError extends TandemError {
  constructor(message: string) {
    super('RAID', message);
  }
}
