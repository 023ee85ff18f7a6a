import { describe, expect, it } from 'vitest';
import {
  clusterPartitionCount,
  idInPartition,
  partitionOfId,
  partitionOfValue,
  partitionTag,
} from './key-partitions.ts';
import { uuidV7 } from './uuid-v7.ts';

describe('key partitions', () => {
  it('reads the partition of a UUID from its last hex digit', () => {
    expect(partitionOfId('0190b0a0-0000-7000-8000-00000000000f')).toBe(15 % clusterPartitionCount);
    expect(partitionOfId('0190b0a0-0000-7000-8000-000000000003')).toBe(3);
  });

  it('mints an id in any partition, keeping it a UUIDv7 with the same time prefix', () => {
    for (let partition = 0; partition < clusterPartitionCount; partition += 1) {
      const id = uuidV7(1_700_000_000_000);
      const moved = idInPartition(id, partition);
      expect(partitionOfId(moved)).toBe(partition);
      expect(moved.slice(0, -1)).toBe(id.slice(0, -1));
      expect(moved).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(() => idInPartition('nope', 0)).toThrow(RangeError);
    expect(() => idInPartition(uuidV7(1), clusterPartitionCount)).toThrow(RangeError);
  });

  it('spreads values over every partition, the same way every time', () => {
    const seen = new Set(Array.from({ length: 200 }, (_, i) => partitionOfValue(`key-${i}`)));
    expect(seen.size).toBe(clusterPartitionCount);
    expect(partitionOfValue('a@example.com')).toBe(partitionOfValue('a@example.com'));
    expect(partitionOfId('not-a-uuid')).toBe(partitionOfValue('not-a-uuid'));
  });

  it('names a partition by a hash tag of the service', () => {
    expect(partitionTag('order', 3)).toBe('{order-3}');
  });
});
