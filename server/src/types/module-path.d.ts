// electron-vite's `?modulePath` import (electron-vite/node.d.ts declares the same): the path of the
// module built as its own chunk. Vitest maps it to the .ts source (vitest.config.ts).
declare module '*?modulePath' {
  const path: string;
  export default path;
}
