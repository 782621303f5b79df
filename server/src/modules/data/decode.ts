/**
 * Bytes to text for the importers. Node's full ICU decodes GBK (GB 18030 superset) without packages.
 */
import { isUtf8 } from 'node:buffer';

export type Encoding = 'utf-8' | 'gbk';

export function decode(bytes: Uint8Array, encoding: Encoding): string {
  return new TextDecoder(encoding === 'gbk' ? 'gbk' : 'utf-8').decode(bytes);
}

/** utf-8 when the bytes are valid UTF-8, gbk otherwise (Chinese Windows tools write GBK). */
export function guessEncoding(bytes: Uint8Array): Encoding {
  return isUtf8(bytes) ? 'utf-8' : 'gbk';
}
