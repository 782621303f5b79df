// node --import ./register.mjs out/main/index.js : runs the built Electron main under plain Node.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
