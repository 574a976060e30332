/**
 * The fixed records of a ZIP file (APPNOTE 4.3.7, 4.3.12, 4.3.14–16), for the writers that build
 * one by hand: the error workbook, and the tests' hostile archives (which pass the lies they
 * want told as the fields). Times are 1980-01-01 00:00, so the same content gives the same bytes.
 */
export interface ZipEntryRecord {
  /** The name as stored (UTF-8, or raw bytes such as GBK). */
  name: Buffer
  /** General-purpose bits, e.g. 0x0800 (UTF-8 name), 1 (encrypted). */
  flags: number
  /** 0 stored, 8 deflated. */
  method: number
  crc: number
  compressedSize: number
  size: number
  /** Where the local header starts (central record only). */
  offset: number
}

const DOS_DATE_1980_01_01 = 0x21
const VERSION = 20

/** The local header, name included (30 bytes + name; no extra field). */
export function localHeader(entry: ZipEntryRecord): Buffer {
  const bytes = Buffer.alloc(30 + entry.name.length)
  bytes.writeUInt32LE(0x04034b50, 0)
  writeCommon(bytes, 4, entry)
  entry.name.copy(bytes, 30)
  return bytes
}

/** The central-directory header, name included (46 bytes + name). */
export function centralHeader(entry: ZipEntryRecord): Buffer {
  const bytes = Buffer.alloc(46 + entry.name.length)
  bytes.writeUInt32LE(0x02014b50, 0)
  bytes.writeUInt16LE(VERSION, 4) // version made by
  writeCommon(bytes, 6, entry)
  bytes.writeUInt32LE(entry.offset, 42)
  entry.name.copy(bytes, 46)
  return bytes
}

// The fields local and central headers share, from "version needed" to the name length.
function writeCommon(bytes: Buffer, at: number, entry: ZipEntryRecord): void {
  bytes.writeUInt16LE(VERSION, at)
  bytes.writeUInt16LE(entry.flags, at + 2)
  bytes.writeUInt16LE(entry.method, at + 4)
  bytes.writeUInt16LE(0, at + 6)
  bytes.writeUInt16LE(DOS_DATE_1980_01_01, at + 8)
  bytes.writeUInt32LE(entry.crc >>> 0, at + 10)
  bytes.writeUInt32LE(entry.compressedSize, at + 14)
  bytes.writeUInt32LE(entry.size, at + 18)
  bytes.writeUInt16LE(entry.name.length, at + 22)
}

/** The end records; more than 65,535 entries are declared through the Zip64 end record and locator. */
export function endOfCentralDirectory(count: number, directorySize: number, directoryOffset: number): Buffer {
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  if (count <= 0xffff) {
    end.writeUInt16LE(count, 8)
    end.writeUInt16LE(count, 10)
    end.writeUInt32LE(directorySize, 12)
    end.writeUInt32LE(directoryOffset, 16)
    return end
  }
  const zip64 = Buffer.alloc(56)
  zip64.writeUInt32LE(0x06064b50, 0)
  zip64.writeBigUInt64LE(44n, 4)
  zip64.writeUInt16LE(45, 12)
  zip64.writeUInt16LE(45, 14)
  zip64.writeBigUInt64LE(BigInt(count), 24)
  zip64.writeBigUInt64LE(BigInt(count), 32)
  zip64.writeBigUInt64LE(BigInt(directorySize), 40)
  zip64.writeBigUInt64LE(BigInt(directoryOffset), 48)
  const locator = Buffer.alloc(20)
  locator.writeUInt32LE(0x07064b50, 0)
  locator.writeBigUInt64LE(BigInt(directoryOffset + directorySize), 8)
  locator.writeUInt32LE(1, 16)
  end.fill(0xff, 8, 20)
  return Buffer.concat([zip64, locator, end])
}
