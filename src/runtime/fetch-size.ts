/** About how many bytes one fetch asks for, of inputs, changelogs and global topics alike (Kafka's fetch.max.bytes per partition, 1 MiB). */
export const FETCH_BYTES = 1 << 20;
