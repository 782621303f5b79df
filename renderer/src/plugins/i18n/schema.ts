import type zhCN from './zh-CN';

/** The shape of every locale's messages: the zh-CN file is the reference. */
export type MessageSchema = typeof zhCN;
