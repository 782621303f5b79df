/** Reading the shared data's zip files without a dependency (benches only). */
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

/** The single deflated (or stored) entry of a zip file, via its central directory. */
export function unzipSingle(file) {
  const zip = readFileSync(file);
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${file}: not a zip file`);
  const cd = zip.readUInt32LE(eocd + 16);
  if (zip.readUInt32LE(cd) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
  const method = zip.readUInt16LE(cd + 10);
  const compressed = zip.readUInt32LE(cd + 20);
  const name = zip.toString('utf8', cd + 46, cd + 46 + zip.readUInt16LE(cd + 28));
  const local = zip.readUInt32LE(cd + 42);
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const data = zip.subarray(start, start + compressed);
  return { name, bytes: method === 0 ? data : inflateRawSync(data) };
}
