// C-library time layouts the reference's show commands print: ctime's `Tue Mar  6 16:58:21 2012`
// (day of month right-aligned in two columns), in local time or UTC, optionally with a zone.

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Www Mmm dd hh:mm:ss [zone ]yyyy`. */
export function ctimeLayout(d: Date, opts: { utc?: boolean; zone?: string } = {}): string {
  const u = opts.utc === true;
  const two = (n: number) => String(n).padStart(2, '0');
  const day = u ? d.getUTCDay() : d.getDay();
  const month = u ? d.getUTCMonth() : d.getMonth();
  const date = u ? d.getUTCDate() : d.getDate();
  const time = u
    ? `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
    : `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  const year = u ? d.getUTCFullYear() : d.getFullYear();
  return `${DAYS[day]} ${MONTHS[month]} ${String(date).padStart(2, ' ')} ${time} ${opts.zone ? `${opts.zone} ` : ''}${year}`;
}

/** Parses the local-time ctime layout (`Sun Dec  6 07:00:00 2026`); null when it is not one. */
export function parseCtime(s: string): Date | null {
  const m = /^(?:\w{3}) (\w{3}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4})$/.exec(s.trim());
  const month = m ? MONTHS.indexOf(m[1]!) : -1;
  if (!m || month < 0) return null;
  return new Date(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}
