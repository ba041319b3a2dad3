import dayjs from 'dayjs';

/** A time from the API as users read it: 2022年3月31日 23:59 (the browser's zone, 北京时间 in the bureaus). */
export function formatTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY年M月D日 HH:mm') : '—';
}
