import { createInflateRaw } from 'node:zlib';

/** Limits on an uploaded workbook: checked on its zip directory first, then counted while it is inflated. */
export interface WorkbookLimits {
  /** Largest upload (default 5 MB). */
  maxBytes: number;
  /** Largest total uncompressed size, as declared and as counted while inflating (default 50 MB). */
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

/** What inflating a zip's entries found: the refusal (Chinese) if any, and how many bytes were inflated to find it. */
export interface ZipInflation {
  problem?: string;
  /** Bytes inflated in all (and thrown away): never more than the limit and one chunk. */
  inflated: number;
}

const LOCAL_SIGNATURE = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/**
 * checkWorkbookZip, then every entry inflated and counted, whatever its headers declare: an entry stops as soon as it
 * yields more than its declared size (a zip that lies about its sizes: the reader would inflate what it really
 * holds) or the whole zip more than `maxUncompressedBytes`; an entry that yields less than it declares, or that does
 * not inflate, is refused too. The inflated bytes are counted and dropped, a chunk at a time, off the main thread
 * (zlib's thread pool). A zip that passes holds exactly what its directory says, so the xlsx reader that opens it
 * next inflates no more than the limit.
 */
export async function inspectWorkbookZip(
  buffer: Buffer,
  limits: WorkbookLimits = DEFAULT_WORKBOOK_LIMITS,
): Promise<ZipInflation> {
  const refused = checkWorkbookZip(buffer, limits);
  if (refused) return { problem: refused, inflated: 0 };
  const eocd = findEndOfCentralDirectory(buffer);
  const entries = buffer.readUInt16LE(eocd + 10);
  let position = buffer.readUInt32LE(eocd + 16);
  let inflated = 0;
  for (let i = 0; i < entries; i++) {
    const method = buffer.readUInt16LE(position + 10);
    const compressed = buffer.readUInt32LE(position + 20);
    const declared = buffer.readUInt32LE(position + 24);
    const local = buffer.readUInt32LE(position + 42);
    position +=
      46 + buffer.readUInt16LE(position + 28) + buffer.readUInt16LE(position + 30) + buffer.readUInt16LE(position + 32);
    if (local + 30 > buffer.length || buffer.readUInt32LE(local) !== LOCAL_SIGNATURE) {
      return { problem: '工作簿已损坏：zip 文件头无法读取', inflated };
    }
    const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    if (start + compressed > buffer.length) return { problem: '工作簿已损坏：zip 数据越界', inflated };
    const data = buffer.subarray(start, start + compressed);
    let actual: number;
    if (method === STORED) {
      actual = data.length;
    } else if (method === DEFLATED) {
      const budget = Math.min(declared, limits.maxUncompressedBytes - inflated);
      const counted = await countInflated(data, budget);
      inflated += counted.bytes;
      if (counted.failed) return { problem: '工作簿已损坏：zip 数据无法解压', inflated };
      actual = counted.bytes;
    } else {
      return { problem: `工作簿使用了不支持的压缩方式（${method}）`, inflated };
    }
    if (actual > declared) {
      return {
        problem: `工作簿中的文件解压后超过其声明的 ${declared} 字节（zip 声明的大小不实，疑似 zip 炸弹），拒绝读取`,
        inflated,
      };
    }
    if (method === STORED) inflated += actual;
    if (inflated > limits.maxUncompressedBytes) {
      return { problem: `工作簿解压后超过 ${limits.maxUncompressedBytes} 字节（疑似 zip 炸弹），拒绝读取`, inflated };
    }
    if (actual < declared) return { problem: '工作簿已损坏：zip 中文件的实际大小与声明不符', inflated };
  }
  return { inflated };
}

/**
 * Inflates raw deflate data, counting the output and dropping it; stops as soon as the count passes `budget` (the
 * count is then budget + at most one chunk). `failed` when the data does not inflate.
 */
function countInflated(data: Buffer, budget: number): Promise<{ bytes: number; failed: boolean }> {
  return new Promise((resolve) => {
    const inflate = createInflateRaw({ chunkSize: 16 * 1024 });
    let bytes = 0;
    let settled = false;
    const settle = (failed: boolean) => {
      if (settled) return;
      settled = true;
      inflate.removeAllListeners('data');
      inflate.destroy();
      resolve({ bytes, failed });
    };
    inflate.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > budget) settle(false);
    });
    inflate.on('end', () => settle(false));
    inflate.on('error', () => settle(true));
    inflate.end(data);
  });
}
