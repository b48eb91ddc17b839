import { register } from 'node:module';
import { URL } from 'node:url';

register(new URL('./count-modules.mjs', import.meta.url));
