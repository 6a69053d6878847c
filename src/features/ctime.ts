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
