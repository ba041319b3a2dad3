import { StreamableFile } from '@nestjs/common';
import { attachment } from './content-disposition';

/** A rendered file: its bytes, MIME type and download name. */
export interface ExportedFile {
  body: Buffer;
  type: string;
  filename: string;
  /** The ASCII name for clients that do not read RFC 5987 names (curl -OJ); default: the name without non-ASCII. */
  asciiFilename?: string;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv; charset=utf-8';

/** A file as a download: its type and length, and an RFC 6266 Content-Disposition with an ASCII fallback name. */
export function download(file: ExportedFile): StreamableFile {
  return new StreamableFile(file.body, {
    type: file.type,
    disposition: attachment(file.filename, file.asciiFilename),
    length: file.body.length,
  });
}
