export type { Serde, SerdeType } from './serde.ts';
