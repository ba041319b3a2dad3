/** Limits on an uploaded workbook, checked before anything is decompressed. */
export interface WorkbookLimits {
  /** Largest upload (default 5 MB). */
  maxBytes: number;
  /** Largest total uncompressed size the zip declares (default 50 MB). */
  maxUncompressedBytes: number;
  /** Most zip entries (default 2000). */
  maxEntries: number;
  /** Largest compression ratio of an entry over 1 MB uncompressed (default 100). */
  maxRatio: number;
}

export const DEFAULT_WORKBOOK_LIMITS: WorkbookLimits = {
  maxBytes: 5 * 1024 * 1024,
  maxUncompressedBytes: 50 * 1024 * 1024,
  maxEntries: 2000,
  maxRatio: 100,
};

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const ZIP64_MARK = 0xffffffff;

/**
 * Checks that a buffer is a zip an xlsx reader may safely expand: within the upload size, with a readable central
 * directory, at most `maxEntries` entries, a declared total uncompressed size within `maxUncompressedBytes` and no
 * entry compressed more than `maxRatio` : 1 (zip bombs). Reads the central directory itself; decompresses nothing.
 * Returns the reason in Chinese when the buffer is refused, undefined when it may be opened.
 */
export function checkWorkbookZip(buffer: Buffer, limits: WorkbookLimits = DEFAULT_WORKBOOK_LIMITS): string | undefined {
  if (buffer.length > limits.maxBytes) {
    return `文件为 ${buffer.length} 字节，超过上限 ${limits.maxBytes} 字节`;
  }
  if (buffer.length < 22 || buffer.readUInt32LE(0) !== 0x04034b50) return '不是 Excel 工作簿（.xlsx）文件';
  const eocd = findEndOfCentralDirectory(buffer);
  if (eocd < 0) return '不是 Excel 工作簿（.xlsx）文件：找不到 zip 目录';
  const entries = buffer.readUInt16LE(eocd + 10);
  const size = buffer.readUInt32LE(eocd + 12);
  const offset = buffer.readUInt32LE(eocd + 16);
  if (entries === 0xffff || size === ZIP64_MARK || offset === ZIP64_MARK) return '不支持 zip64 格式的工作簿';
  if (entries > limits.maxEntries) return `工作簿包含 ${entries} 个文件，超过上限 ${limits.maxEntries}`;
  if (offset + size > buffer.length) return '工作簿已损坏：zip 目录越界';
  let position = offset;
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (position + 46 > buffer.length || buffer.readUInt32LE(position) !== CENTRAL_SIGNATURE) {
      return '工作簿已损坏：zip 目录无法读取';
    }
    const compressed = buffer.readUInt32LE(position + 20);
    const uncompressed = buffer.readUInt32LE(position + 24);
    if (compressed === ZIP64_MARK || uncompressed === ZIP64_MARK) return '不支持 zip64 格式的工作簿';
    total += uncompressed;
    if (total > limits.maxUncompressedBytes) {
      return `工作簿解压后超过 ${limits.maxUncompressedBytes} 字节（疑似 zip 炸弹），拒绝读取`;
    }
    if (uncompressed > 1024 * 1024 && uncompressed > Math.max(compressed, 1) * limits.maxRatio) {
      return `工作簿中的文件压缩比超过 ${limits.maxRatio}:1（疑似 zip 炸弹），拒绝读取`;
    }
    position +=
      46 + buffer.readUInt16LE(position + 28) + buffer.readUInt16LE(position + 30) + buffer.readUInt16LE(position + 32);
  }
  return undefined;
}

/** The offset of the end-of-central-directory record: searched backwards over at most the 64 KiB comment. */
function findEndOfCentralDirectory(buffer: Buffer): number {
  const stop = Math.max(0, buffer.length - 22 - 0xffff);
  for (let i = buffer.length - 22; i >= stop; i--) {
    if (buffer.readUInt32LE(i) === EOCD_SIGNATURE) return i;
  }
  return -1;
}
